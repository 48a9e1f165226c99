import Foundation
import Testing

@testable import Local

@Suite("Logout")
struct LogoutTests {
    @Test("logout drops the cached token, and the pin only when asked")
    func logout() throws {
        let fixture = try LocalFileFixture("logout")
        defer { fixture.remove() }
        let endpoint = try BrokerEndpoint(parsing: "https://127.0.0.1:8443")
        let configuration = ClientConfiguration(
            endpoint: endpoint,
            caFile: nil,
            tokenFile: nil,
            environmentToken: nil,
            clientSecret: nil,
            directory: fixture.directory,
            firstContactApproval: { _ in false }
        )
        let token = CachedToken(
            accessToken: "t",
            refreshToken: nil,
            expiresAt: nil,
            issuer: "i",
            tokenEndpoint: nil,
            clientID: nil,
            obtainedBy: .provided
        )
        let pin = KnownBroker(
            certificateDER: TrustStoreTests.fixtureDER,
            pinnedAt: Date(timeIntervalSince1970: 1_700_000_000)
        )
        try TokenCache(directory: fixture.directory).store(token, for: endpoint)
        try KnownBrokers(directory: fixture.directory).remember(pin, for: endpoint)

        let first = try Logout.perform(configuration, forgetBroker: false)
        #expect(first == Logout.Result(broker: endpoint.url, removedToken: true, forgotBroker: false))
        #expect(try KnownBrokers(directory: fixture.directory).pin(for: endpoint) == pin)

        let second = try Logout.perform(configuration, forgetBroker: true)
        #expect(second == Logout.Result(broker: endpoint.url, removedToken: false, forgotBroker: true))
        #expect(try KnownBrokers(directory: fixture.directory).pin(for: endpoint) == nil)
    }
}
