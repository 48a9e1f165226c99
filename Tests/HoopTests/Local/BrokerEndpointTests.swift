import HoopCore
import Testing

@testable import Local

@Suite("Broker endpoint")
struct BrokerEndpointTests {
    @Test("host and port come from an https URL")
    func parsesHostAndPort() throws {
        let endpoint = try BrokerEndpoint(parsing: "https://Broker.Example.com:9443/")
        #expect(endpoint.host == "broker.example.com")
        #expect(endpoint.port == 9443)
        #expect(endpoint.authority == "broker.example.com:9443")
        #expect(endpoint.url == "https://broker.example.com:9443")
        #expect(!endpoint.isIPAddress)
    }

    @Test("the port defaults to 443")
    func defaultPort() throws {
        #expect(try BrokerEndpoint(parsing: "https://broker.example.com").port == 443)
    }

    @Test("IPv6 literals keep their brackets only in the authority")
    func ipv6() throws {
        let endpoint = try BrokerEndpoint(parsing: "https://[::1]:8443")
        #expect(endpoint.host == "::1")
        #expect(endpoint.authority == "[::1]:8443")
        #expect(endpoint.url == "https://[::1]:8443")
        #expect(endpoint.isIPAddress)
    }

    @Test("IPv4 literals are recognised, so no SNI is sent for them")
    func ipv4() throws {
        #expect(try BrokerEndpoint(parsing: "https://127.0.0.1:8443").isIPAddress)
        #expect(try !BrokerEndpoint(parsing: "https://1.example.com").isIPAddress)
    }

    @Test(
        "anything but a bare https address is refused as a usage error",
        arguments: [
            "http://127.0.0.1:8443",
            "127.0.0.1:8443",
            "ftp://broker",
            "https://",
            "https://broker/v1",
            "https://broker?x=1",
            "https://user:secret@broker",
            "https://broker:0",
        ]
    )
    func refusesOtherAddresses(address: String) {
        #expect {
            try BrokerEndpoint(parsing: address)
        } throws: { error in
            guard let error = error as? LocalError else { return false }
            return error.kind == .invalidInput && error.exitStatus == .usage && error.message.contains(address)
        }
    }

    @Test("the flag wins over HOOP_BROKER, which wins over the default")
    func resolutionOrder() throws {
        let environment = ["HOOP_BROKER": "https://env.example:1"]
        #expect(try BrokerEndpoint.resolve(flag: "https://flag.example:2", environment: environment).port == 2)
        #expect(try BrokerEndpoint.resolve(flag: nil, environment: environment).port == 1)
        #expect(try BrokerEndpoint.resolve(flag: nil, environment: [:]).url == BrokerEndpoint.defaultAddress)
        #expect(try BrokerEndpoint.resolve(flag: nil, environment: ["HOOP_BROKER": ""]).url == "https://127.0.0.1:8443")
    }
}
