import Foundation
import HoopCore
import Testing

/// Login flows and broker trust as users meet them: the device flow backing off on `slow_down`, silent refresh of
/// an expiring token, and pinning the broker's certificate on first use — then refusing a different broker.
@Suite("End to end: login and broker trust", .serialized)
struct LoginAndTrustEndToEndTests {
    static let noResources = "  []"

    @Test("the device flow backs off on slow_down, and an expiring token is refreshed without a new login")
    func deviceFlowSlowDownAndRefresh() async throws {
        try await IdentityProvider.with { idp in
            let broker = try await BrokerProcess(issuer: idp.issuer, resourcesYAML: Self.noResources)
            defer { broker.remove() }
            // Tokens that live 30 s are always inside the client's 60 s refresh window.
            try await idp.addClient("hoopctl", groups: [], ttl: 30)
            try await idp.slowDown(count: 1)
            let bob = try ClientCLI(broker: broker, name: "bob")
            let started = ContinuousClock.now
            _ = try await bob.loginWithDeviceFlow(idp: idp, subject: "bob", groups: ["eng"])
            // interval 1 s, then slow_down adds 5 s before the next poll (RFC 8628 §3.5).
            #expect(ContinuousClock.now - started >= .seconds(6))

            let cache = bob.home.appendingPathComponent("hoopctl/tokens.json")
            let before = try String(contentsOf: cache, encoding: .utf8)
            let whoami = try await bob.run(["whoami", "--output", "json"])
            #expect(whoami.status == 0, "\(whoami.stderr)")
            #expect(whoami.stdout.contains("\"bob\""))
            let after = try String(contentsOf: cache, encoding: .utf8)
            #expect(before != after, "the cached token was not refreshed")
            await broker.stop()
        }
    }

    @Test("off a terminal the broker is pinned on first use with its fingerprint; another broker is then refused")
    func trustOnFirstUse() async throws {
        try await IdentityProvider.with { idp in
            let first = try await BrokerProcess(issuer: idp.issuer, resourcesYAML: Self.noResources)
            defer { first.remove() }
            let fingerprint =
                try await ChildProcess.run(
                    TestEnvironment.hoopctl,
                    ["broker", "fingerprint", "--config", first.configFile.path]
                ).stdout.split(separator: "\n").first.map { $0.replacingOccurrences(of: "SHA256 ", with: "") } ?? "?"

            let agent = try ClientCLI(
                broker: first,
                name: "agent",
                trustCA: false,
                extra: ["HOOP_CLIENT_SECRET": "ci-agent-secret"]
            )
            let login = try await agent.run(["login", "--client-id", "ci-agent"])
            #expect(login.status == 0, "\(login.stderr)")
            #expect(login.stderr.contains("on first use"))
            #expect(login.stderr.contains(fingerprint))
            #expect(try await agent.run(["whoami"]).status == 0)
            await first.stop()

            // A broker re-initialised on the same address has a new CA: the pin must refuse it.
            let second = try await BrokerProcess(
                issuer: idp.issuer,
                resourcesYAML: Self.noResources,
                port: first.port
            )
            defer { second.remove() }
            let refused = try await agent.run(["whoami"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("does not match the one pinned"))

            #expect(try await agent.run(["trust", "reset", second.url]).status == 0)
            let again = try await agent.run(["whoami"])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stderr.contains("on first use"))
            await second.stop()
        }
    }
}
