import Foundation
import HoopCore
import Logging
import Testing

@testable import Broker

/// What a login callback does with the tokens an IdP's token endpoint returned, against the real test IdP's keys:
/// the access token is judged as on the API, the ID token must answer this login.
@Suite("Web login: the tokens a callback receives", .serialized)
struct WebLoginTokenTests {
    static func login(_ idp: IdentityProvider) throws -> (OIDCWebLogin, WebPendingLogins.Login, SQLiteStore) {
        let directory = try TestEnvironment.scratchDirectory("web-login")
        let config = try ConfigLoader.parse(
            yaml: """
                identity:
                  - issuer: \(idp.issuer)
                    audience: hoop
                    web_client_id: hoop-web
                web:
                  public_url: https://127.0.0.1:8443
                """, relativeTo: directory)
        let store = try SQLiteStore(path: directory.appendingPathComponent("broker.db"))
        let logger = Logger(label: "test")
        let audit = AuditLog(store: store, logger: logger)
        let verifier = TokenVerifier(providers: config.identity, logger: logger)
        let web = try #require(config.web)
        let flow = OIDCWebLogin(
            config: config, web: web, authenticator: Authenticator(verifier: verifier, audit: audit),
            verifier: verifier, sessions: WebSessions(config: web, audit: audit), pending: WebPendingLogins(),
            audit: audit, limiter: TokenRejectionLimiter(), httpClient: IdentityFetchPolicy.client)
        let pending = WebPendingLogins.Login(
            issuer: idp.issuer, clientID: "hoop-web",
            endpoints: OIDCWebEndpoints(issuer: idp.issuer, authorizationEndpoint: "", tokenEndpoint: ""),
            nonce: "nonce-1", pkce: PKCE(), next: "/approvals", startedAt: Date())
        return (flow, pending, store)
    }

    @Test("an untrusted issuer, an unsigned token, a wrong nonce, another client's or person's ID token: refused")
    func refusals() async throws {
        try await IdentityProvider.with { idp in
            let (flow, login, store) = try Self.login(idp)
            let access = try await idp.mint(claims: ["sub": "alice", "aud": "hoop", "groups": ["dba"]])
            func idToken(_ overrides: [String: JSONValue] = [:]) async throws -> String {
                var claims: [String: JSONValue] = ["sub": "alice", "aud": ["hoop-web"], "nonce": "nonce-1"]
                claims.merge(overrides) { $1 }
                return try await idp.mint(claims: .object(claims))
            }
            let principal = try await flow.finish(
                login, tokens: .init(accessToken: access, idToken: try await idToken()), source: "127.0.0.1")
            #expect(principal.subject == "alice" && principal.groups == ["dba"])

            let untrusted = try await idp.mint(
                claims: ["iss": "https://evil.example", "sub": "alice", "aud": "hoop", "groups": ["admins"]])
            let cases: [(OIDCWebEndpoints.Tokens, String)] = [
                (.init(accessToken: untrusted, idToken: try await idToken()), "token_rejected"),
                (
                    .init(
                        accessToken: try await idp.mint(claims: ["sub": "alice", "aud": "hoop"], alg: "none"),
                        idToken: try await idToken()), "token_rejected"
                ),
                (.init(accessToken: access, idToken: nil), "no_id_token"),
                (.init(accessToken: access, idToken: try await idToken(["nonce": "other"])), "id_token_wrong_nonce"),
                (.init(accessToken: access, idToken: try await idToken(["nonce": nil])), "id_token_wrong_nonce"),
                (
                    .init(accessToken: access, idToken: try await idToken(["aud": ["hoopctl"]])),
                    "id_token_wrong_audience"
                ),
                (.init(accessToken: access, idToken: try await idToken(["sub": "mallory"])), "subject_mismatch"),
                (
                    .init(accessToken: access, idToken: try await idToken(["iss": "https://evil.example"])),
                    "id_token_untrusted_issuer"
                ),
            ]
            for (tokens, code) in cases {
                do throws(WebLoginRefusal) {
                    _ = try await flow.finish(login, tokens: tokens, source: "127.0.0.1")
                    Issue.record("accepted a login that should be refused with \(code)")
                } catch {
                    #expect(error.code == code)
                }
            }
            // The refused access tokens are audited as the API audits them.
            let events = try await store.auditEvents(from: 1, limit: 100)
            #expect(
                events.contains {
                    $0.action == "auth.token_rejected" && $0.details["reason"] == "token_untrusted_issuer"
                })
        }
    }
}
