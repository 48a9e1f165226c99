import Foundation
import HoopCore
import Logging
import Testing

@testable import Broker

/// An unauthenticated caller hammering the page's login callback: it must not be able to write to the audit log
/// without bound.
@Suite("Web login floods")
struct WebLoginFloodTests {
    static func oidcLogin() throws -> (OIDCWebLogin, SQLiteStore) {
        let directory = try TestEnvironment.scratchDirectory("web-login-flood")
        let config = try ConfigLoader.parse(
            yaml: """
                identity:
                  - issuer: https://idp.example
                    audience: hoop
                    web_client_id: hoop-web
                web:
                  public_url: https://broker.example:8443
                """, relativeTo: directory)
        let store = try SQLiteStore(path: directory.appendingPathComponent("broker.db"))
        let logger = Logger(label: "test")
        let audit = AuditLog(store: store, logger: logger)
        let verifier = TokenVerifier(providers: config.identity, logger: logger)
        let web = try #require(config.web)
        let limiter = TokenRejectionLimiter()
        let login = OIDCWebLogin(
            config: config, web: web, authenticator: Authenticator(verifier: verifier, audit: audit, limiter: limiter),
            verifier: verifier, sessions: WebSessions(config: web, audit: audit), pending: WebPendingLogins(),
            audit: audit, limiter: limiter, httpClient: IdentityFetchPolicy.client)
        return (login, store)
    }

    @Test("forged OIDC callbacks from one source: a few audited, then throttled; another source is still heard")
    func forgedCallbacks() async throws {
        let (login, store) = try Self.oidcLogin()
        let attacker = "203.0.113.66"
        var refusals: [WebLoginRefusal] = []
        for attempt in 0..<200 {
            let outcome = try await login.answer(
                nil, code: "forged-\(attempt)", error: nil, errorDescription: nil, source: attacker)
            guard case .failure(let refusal) = outcome else {
                Issue.record("a callback naming no login was accepted")
                return
            }
            refusals.append(refusal)
        }
        let policy = TokenRejectionLimiter.Policy()
        #expect(refusals.prefix(policy.allowedPerWindow).allSatisfy { $0 == .stateMismatch })
        #expect(refusals.dropFirst(policy.allowedPerWindow).allSatisfy { $0 == .throttled })
        var events = try await store.auditEvents(from: 1, limit: 1_000)
        #expect(events.filter { $0.action == "web.login_refused" }.count == policy.auditedPerWindow)

        let outcome = try await login.answer(nil, code: nil, error: nil, errorDescription: nil, source: "198.51.100.7")
        guard case .failure(.stateMismatch) = outcome else {
            Issue.record("another source's callback was not judged on its own: \(outcome)")
            return
        }
        events = try await store.auditEvents(from: 1, limit: 1_000)
        #expect(events.last?.details["source"] == "198.51.100.7")
    }
}
