import Testing

@testable import Local

@Suite("Client configuration")
struct ClientConfigurationTests {
    @Test("state lives under XDG_CONFIG_HOME, else ~/.config")
    func configDirectory() throws {
        #expect(try ConfigDirectory.resolve(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]).path == "/x/hoopctl")
        #expect(try ConfigDirectory.resolve(environment: ["HOME": "/h"]).path == "/h/.config/hoopctl")
        // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
        #expect(
            try ConfigDirectory.resolve(environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/h"]).path
                == "/h/.config/hoopctl"
        )
        #expect(throws: LocalError.self) { try ConfigDirectory.resolve(environment: [:]) }
    }

    @Test("flags win over their variables, and empty variables count as unset")
    func environment() throws {
        let environment = [
            "HOME": "/h",
            "HOOP_CA": "/env/ca.pem",
            "HOOP_TOKEN": "",
            "HOOP_CLIENT_SECRET": "s3cret",
        ]
        let fromEnvironment = try ClientConfiguration(
            broker: nil,
            caFile: nil,
            tokenFile: nil,
            environment: environment
        )
        #expect(fromEnvironment.caFile == "/env/ca.pem")
        #expect(fromEnvironment.environmentToken == nil)
        #expect(fromEnvironment.clientSecret == "s3cret")
        let fromFlags = try ClientConfiguration(
            broker: "https://b:1",
            caFile: "/flag/ca.pem",
            tokenFile: "/t",
            environment: environment
        )
        #expect(fromFlags.caFile == "/flag/ca.pem")
        #expect(fromFlags.tokenFile == "/t")
        #expect(fromFlags.endpoint.authority == "b:1")
    }
}
