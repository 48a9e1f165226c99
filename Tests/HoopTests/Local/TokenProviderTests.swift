import Foundation
import Testing

@testable import Local

@Suite("Token provider")
struct TokenProviderTests {
    let endpoint = try! BrokerEndpoint(parsing: "https://127.0.0.1:8443")

    func configuration(
        _ fixture: LocalFileFixture,
        environmentToken: String? = nil,
        tokenFile: String? = nil
    ) -> ClientConfiguration {
        ClientConfiguration(
            endpoint: self.endpoint,
            caFile: nil,
            tokenFile: tokenFile,
            environmentToken: environmentToken,
            clientSecret: nil,
            directory: fixture.directory,
            firstContactApproval: { _ in false }
        )
    }

    func cached(expiresIn seconds: TimeInterval?, refreshToken: String? = nil) -> CachedToken {
        CachedToken(
            accessToken: "cached",
            refreshToken: refreshToken,
            expiresAt: seconds.map { Date().addingTimeInterval($0) },
            issuer: "http://127.0.0.1:9400",
            tokenEndpoint: nil,
            clientID: nil,
            obtainedBy: .device
        )
    }

    @Test("HOOP_TOKEN wins over --token-file, which wins over the cache")
    func precedence() async throws {
        let fixture = try LocalFileFixture("provider-order")
        defer { fixture.remove() }
        try TokenCache(directory: fixture.directory).store(self.cached(expiresIn: 3600), for: self.endpoint)
        let file = fixture.root.appendingPathComponent("token").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data("from-file\n".utf8)))

        let fromEnvironment = TokenProvider(
            configuration: self.configuration(fixture, environmentToken: "env", tokenFile: file)
        )
        #expect(try await fromEnvironment.accessToken() == "env")
        #expect(fromEnvironment.origin == .environment)
        let fromFile = TokenProvider(configuration: self.configuration(fixture, tokenFile: file))
        #expect(try await fromFile.accessToken() == "from-file")
        #expect(fromFile.origin == .file(file))
        let fromCache = TokenProvider(configuration: self.configuration(fixture))
        #expect(try await fromCache.accessToken() == "cached")
    }

    @Test("without a login, the error says to log in")
    func notLoggedIn() async throws {
        let fixture = try LocalFileFixture("provider-none")
        defer { fixture.remove() }
        await #expect {
            try await TokenProvider(configuration: self.configuration(fixture)).accessToken()
        } throws: { error in
            let error = error as? LocalError
            return error?.kind == .notLoggedIn && error?.hint?.contains("hoopctl login") == true
        }
    }

    @Test("a token expiring within a minute that cannot be renewed asks for a new login")
    func expiredWithoutRefresh() async throws {
        let fixture = try LocalFileFixture("provider-expired")
        defer { fixture.remove() }
        try TokenCache(directory: fixture.directory).store(self.cached(expiresIn: 30), for: self.endpoint)
        await #expect {
            try await TokenProvider(configuration: self.configuration(fixture)).accessToken()
        } throws: { error in
            let error = error as? LocalError
            return error?.kind == .loginExpired && error?.description == "your login expired; run `hoopctl login`"
        }
    }

    @Test("an empty or missing token file is an error naming the option")
    func badTokenFile() async throws {
        let fixture = try LocalFileFixture("provider-file")
        defer { fixture.remove() }
        let empty = fixture.root.appendingPathComponent("empty").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data(" \n".utf8)))
        for path in [empty, fixture.root.appendingPathComponent("missing").path] {
            await #expect {
                try await TokenProvider(configuration: self.configuration(fixture, tokenFile: path)).accessToken()
            } throws: { error in
                (error as? LocalError)?.hint?.contains("--token-file") == true
            }
        }
    }

    @Test("a refused token's hint depends on where it came from")
    func rejectionHints() throws {
        let fixture = try LocalFileFixture("provider-hints")
        defer { fixture.remove() }
        let environment = TokenProvider(configuration: self.configuration(fixture, environmentToken: "t"))
        #expect(environment.rejectionHint(brokerHint: "run `hoopctl login`").contains("HOOP_TOKEN"))
        let cache = TokenProvider(configuration: self.configuration(fixture))
        #expect(cache.rejectionHint(brokerHint: nil) == "run `hoopctl login`")
        #expect(
            cache.rejectionHint(brokerHint: "your token expired: log in again") == "your token expired: log in again"
        )
    }
}
