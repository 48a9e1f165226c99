import Foundation
import HoopCore
import Logging
import Testing

@testable import Broker

/// Token verification against a real OIDC provider process: discovery, JWKS, rotation, outages, and every hostile
/// token the issue names, each refused with its own reason and an audit event.
@Suite("OIDC token verification", .serialized)
struct TokenVerificationTests {
    static func providerConfig(
        _ issuer: String,
        cacheTTL: TimeInterval = 3600,
        refreshInterval: TimeInterval = 30
    ) -> IdentityProviderConfig {
        IdentityProviderConfig(
            issuer: issuer, audience: "hoop", groupsClaim: "groups", emailClaim: "email",
            algorithms: ["RS256", "ES256", "EdDSA"], cliClientID: "hoopctl", scopes: ["openid"],
            leeway: 60, jwksCacheTTL: cacheTTL, jwksRefreshMinInterval: refreshInterval
        )
    }

    static func claims(_ issuer: String, _ overrides: [String: JSONValue] = [:]) -> JSONValue {
        var claims: [String: JSONValue] = [
            "iss": .string(issuer), "sub": "alice", "aud": "hoop", "groups": ["eng", "oncall"],
            "email": "alice@example.com",
        ]
        claims.merge(overrides) { $1 }
        return .object(claims)
    }

    @Test("valid RS256, ES256 and EdDSA tokens map to the principal")
    func validTokens() async throws {
        try await IdentityProvider.with { idp in
            let verifier = TokenVerifier(providers: [Self.providerConfig(idp.issuer)], logger: Logger(label: "test"))
            for alg in ["RS256", "ES256", "EdDSA"] {
                let token = try await idp.mint(claims: Self.claims(idp.issuer), alg: alg)
                let principal = try await verifier.verify(token)
                #expect(
                    principal
                        == Principal(
                            issuer: idp.issuer, subject: "alice", email: "alice@example.com", groups: ["eng", "oncall"])
                )
            }
            // A token issued by the provider's token endpoint (RFC 9068) verifies too.
            try await idp.addClient("svc", secret: "svc-secret", groups: ["agents"], subject: "svc-bot")
            let issued = try await idp.clientCredentialsToken("svc", secret: "svc-secret")
            #expect(try await verifier.verify(issued).groups == ["agents"])
            #expect(try await verifier.verify(issued).subject == "svc-bot")
        }
    }

    struct BadToken: Sendable, CustomStringConvertible {
        var name: String
        var alg: String = "RS256"
        var overrides: [String: JSONValue] = [:]
        var tamper = false
        var raw: String?
        var code: String
        var message: String
        var description: String { name }
    }

    static let badTokens: [BadToken] = [
        BadToken(name: "alg none", alg: "none", code: "token_unsigned", message: "unsigned"),
        BadToken(
            name: "HS256 signed with the RSA public key", alg: "HS256-with-rsa-public-key",
            code: "token_algorithm_not_allowed", message: "HS256 is not allowed"
        ),
        BadToken(
            name: "expired", overrides: ["exp": .int(Int64(Date().timeIntervalSince1970) - 3600)],
            code: "token_expired", message: "expired at"
        ),
        BadToken(
            name: "not yet valid", overrides: ["nbf": .int(Int64(Date().timeIntervalSince1970) + 3600)],
            code: "token_not_yet_valid", message: "not valid before"
        ),
        BadToken(
            name: "wrong issuer", overrides: ["iss": "http://127.0.0.1:1/evil"],
            code: "token_untrusted_issuer", message: "http://127.0.0.1:1/evil is not trusted"
        ),
        BadToken(
            name: "wrong audience", overrides: ["aud": "another-service"],
            code: "token_wrong_audience", message: "another-service, not hoop"
        ),
        BadToken(name: "unknown kid", alg: "unknown-kid", code: "token_unknown_kid", message: "is not published"),
        BadToken(name: "tampered signature", tamper: true, code: "token_bad_signature", message: "does not verify"),
        BadToken(name: "no exp", overrides: ["exp": .null], code: "token_missing_claim", message: "exp"),
        BadToken(name: "no sub", overrides: ["sub": .null], code: "token_missing_claim", message: "sub"),
        BadToken(name: "not a JWT", raw: "not-a-token", code: "token_malformed", message: "3 dot-separated parts"),
    ]

    @Test("every bad token is refused with its own reason and audited", arguments: badTokens)
    func badToken(_ bad: BadToken) async throws {
        try await IdentityProvider.with { idp in
            let directory = try TestEnvironment.scratchDirectory("tokens")
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try SQLiteStore(path: directory.appendingPathComponent("broker.db"))
            let logger = Logger(label: "test")
            let authenticator = Authenticator(
                verifier: TokenVerifier(providers: [Self.providerConfig(idp.issuer)], logger: logger),
                audit: AuditLog(store: store, logger: logger)
            )
            let token =
                if let raw = bad.raw { raw } else {
                    try await idp.mint(claims: Self.claims(idp.issuer, bad.overrides), alg: bad.alg, tamper: bad.tamper)
                }
            do {
                _ = try await authenticator.principal(forToken: token, from: "127.0.0.1")
                Issue.record("\(bad.name) was accepted")
            } catch let error as APIError {
                #expect(error.error.code == bad.code)
                #expect(error.error.message.contains(bad.message), "\(error.error.message)")
                #expect(error.status == .unauthorized)
            }
            let events = try await store.auditEvents(from: 1, limit: 10)
            #expect(events.count == 1)
            #expect(events.first?.action == "auth.token_rejected")
            #expect(events.first?.decision == .deny)
            #expect(events.first?.details["reason"]?.stringValue == bad.code)
        }
    }

    @Test("a rotated key is picked up by refetching JWKS on its unknown kid")
    func keyRotation() async throws {
        try await IdentityProvider.with { idp in
            let verifier = TokenVerifier(
                providers: [Self.providerConfig(idp.issuer, refreshInterval: 1)],
                logger: Logger(label: "test")
            )
            _ = try await verifier.verify(try await idp.mint(claims: Self.claims(idp.issuer)))
            let newKid = try await idp.rotate()
            try await Task.sleep(for: .milliseconds(1100))
            let rotated = try await idp.mint(claims: Self.claims(idp.issuer))
            #expect(try await verifier.verify(rotated).subject == "alice")
            #expect(
                rotated.split(separator: ".").first.flatMap { Base64URL.decode($0) }.map {
                    String(decoding: $0, as: UTF8.self).contains(newKid)
                } == true)
            #expect(try await idp.jwksFetches() == 2)
        }
    }

    @Test("unknown kids refetch JWKS at most once per interval")
    func refetchIsRateLimited() async throws {
        try await IdentityProvider.with { idp in
            let verifier = TokenVerifier(providers: [Self.providerConfig(idp.issuer)], logger: Logger(label: "test"))
            _ = try await verifier.verify(try await idp.mint(claims: Self.claims(idp.issuer)))
            for _ in 0..<5 {
                let forged = try await idp.mint(claims: Self.claims(idp.issuer), alg: "unknown-kid")
                await #expect(throws: TokenRejection.self) { try await verifier.verify(forged) }
            }
            #expect(try await idp.jwksFetches() == 1)
        }
    }

    @Test("cached keys keep working while the issuer is down, until their lifetime ends")
    func issuerOutage() async throws {
        let idp = try await IdentityProvider()
        let logger = Logger(label: "test")
        let longCache = TokenVerifier(providers: [Self.providerConfig(idp.issuer)], logger: logger)
        let shortCache = TokenVerifier(providers: [Self.providerConfig(idp.issuer, cacheTTL: 1)], logger: logger)
        let token = try await idp.mint(claims: Self.claims(idp.issuer))
        _ = try await longCache.verify(token)
        _ = try await shortCache.verify(token)
        await idp.stop()

        #expect(try await longCache.verify(token).subject == "alice")
        try await Task.sleep(for: .milliseconds(1200))
        await #expect {
            try await shortCache.verify(token)
        } throws: { error in
            (error as? TokenRejection)?.code == "issuer_unavailable"
        }
    }

    @Test(
        "keys are fetched over https only (loopback excepted)",
        arguments: [
            ("https://idp.example.com/.well-known/jwks.json", true),
            ("http://127.0.0.1:9400/jwks", true),
            ("http://localhost:9400/jwks", true),
            ("http://[::1]:9400/jwks", true),
            ("http://idp.example.com/jwks", false),
            ("http://10.0.0.5/jwks", false),
            ("HTTP://idp.example.com/jwks", false),
            ("ftp://idp.example.com/jwks", false),
            ("file:///etc/jwks.json", false),
            ("//idp.example.com/jwks", false),
        ]
    )
    func fetchPolicy(url: String, allowed: Bool) {
        #expect((IdentityFetchPolicy.problem(with: url) == nil) == allowed, "\(url)")
    }

    @Test("an issuer cannot move the key fetch: no redirect is followed, and a plain-http jwks_uri is refused")
    func hostileIssuer() async throws {
        let port = try TestEnvironment.freePort()
        let server = try ChildProcess(
            "hostile-issuer", executable: "/usr/bin/python3",
            arguments: [
                TestEnvironment.repositoryRoot.appendingPathComponent("testing/hostile-issuer/server.py").path,
                String(port),
            ])
        defer { Task { await server.stop() } }
        try await server.waitForOutput("listening")
        for (path, reason) in [
            ("redirect", "redirects are not followed"), ("plain", "must be served over https"),
        ] {
            let source = IssuerKeySource(
                config: Self.providerConfig("http://127.0.0.1:\(port)/\(path)"),
                httpClient: IdentityFetchPolicy.client, logger: Logger(label: "test"))
            await #expect {
                _ = try await source.key(for: "k1", now: Date())
            } throws: { error in
                guard case .issuerUnavailable(_, let why) = error as? TokenRejection else { return false }
                return why.contains(reason)
            }
        }
    }
}
