import Crypto
import Foundation
import HoopCore
import JWTKit
import Logging
import Testing

@testable import Broker

/// The broker's own login tokens (given after a SAML login), attacked as a client holding one would: every way of
/// making the broker accept a token it did not mint, or accept its own token beyond what it was minted for.
@Suite("Broker login tokens")
struct LoginTokenTests {
    static let alice = Principal(
        issuer: "https://idp.example/saml", subject: "alice", email: "alice@example.com", groups: ["dba", "eng"])

    let key = Curve25519.Signing.PrivateKey()

    func verifier(providers: Set<String> = ["corp"]) async -> TokenVerifier {
        TokenVerifier(
            providers: [], loginTokens: (await LoginTokenIssuer(key: key), providers), logger: Logger(label: "test"))
    }

    /// A token over `claims`, signed with `key` under `alg` and `kid` — how an attacker would forge one.
    static func forge(_ claims: [String: ClaimValue], key: Curve25519.Signing.PrivateKey, kid: String = "login-ed25519")
        async throws -> String
    {
        try await JWTKeyCollection().add(eddsa: EdDSA.PrivateKey(backing: key), kid: JWKIdentifier(string: kid))
            .sign(ClaimSet(values: claims), kid: JWKIdentifier(string: kid))
    }

    static func claims(_ overrides: [String: ClaimValue] = [:]) -> [String: ClaimValue] {
        let now = Date().timeIntervalSince1970.rounded(.down)
        var claims: [String: ClaimValue] = [
            "iss": .string(LoginTokenIssuer.issuer), "aud": .string("hoopctl-broker"), "sub": .string("alice"),
            "idp": .string(alice.issuer), "prv": .string("corp"), "groups": .strings(["dba"]),
            "iat": .number(now), "nbf": .number(now), "exp": .number(now + 600),
        ]
        claims.merge(overrides) { $1 }
        return claims
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @Test("a minted token verifies to the principal the IdP vouched for, under the IdP's name")
    func roundTrip() async throws {
        let issuer = await LoginTokenIssuer(key: key)
        let minted = try await issuer.issue(for: Self.alice, provider: "corp", lifetime: 3600)
        let principal = try await verifier().verify(minted.token)
        #expect(principal == Self.alice)
        #expect(abs(minted.expiresAt.timeIntervalSinceNow - 3600) < 5)
        let parts = try JWTParts(minted.token)
        #expect(parts.header.alg == "EdDSA")
        #expect(parts.issuer == LoginTokenIssuer.issuer)
    }

    @Test("a token minted by another key, even with the right kid, is refused")
    func otherKey() async throws {
        let forged = try await Self.forge(Self.claims(["groups": .strings(["admins"])]), key: .init())
        await #expect(throws: TokenRejection.badSignature) { try await verifier().verify(forged) }
    }

    @Test("alg none and HS256 under the broker's issuer are refused before any key is used")
    func algorithmConfusion() async throws {
        let payload = Self.base64URL(Data(#"{"iss":"urn:hoopctl:broker","sub":"mallory","aud":"hoopctl-broker"}"#.utf8))
        let none = Self.base64URL(Data(#"{"alg":"none"}"#.utf8)) + "." + payload + "."
        await #expect(throws: TokenRejection.unsigned) { try await verifier().verify(none) }
        // HS256 keyed with the public key's bytes: the classic confusion, refused on the header alone.
        let publicKey = key.publicKey.rawRepresentation
        let header = Self.base64URL(Data(#"{"alg":"HS256","kid":"login-ed25519"}"#.utf8))
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data((header + "." + payload).utf8), using: SymmetricKey(data: publicKey))
        let hs256 = header + "." + payload + "." + Self.base64URL(Data(mac))
        await #expect(throws: TokenRejection.algorithmNotAllowed("HS256")) { try await verifier().verify(hs256) }
    }

    @Test("the broker's own token is refused for a removed provider, another audience, expired or without idp")
    func claimsBound() async throws {
        let expired = try await Self.forge(
            Self.claims(["exp": .number(Date().timeIntervalSince1970 - 120)]), key: key)
        await #expect(throws: TokenRejection.self) { try await verifier().verify(expired) }
        let removed = try await Self.forge(Self.claims(["prv": .string("old-idp")]), key: key)
        await #expect(throws: TokenRejection.untrustedIssuer("urn:hoopctl:broker (provider old-idp)")) {
            try await verifier().verify(removed)
        }
        let audience = try await Self.forge(Self.claims(["aud": .strings(["hoopctl-broker", "other"])]), key: key)
        await #expect(
            throws: TokenRejection.wrongAudience(expected: "hoopctl-broker", got: ["hoopctl-broker", "other"])
        ) {
            try await verifier().verify(audience)
        }
        var noIdP = Self.claims()
        noIdP["idp"] = nil
        let missing = try await Self.forge(noIdP, key: key)
        await #expect(throws: TokenRejection.missingClaim("idp")) { try await verifier().verify(missing) }
        let wrongKid = try await Self.forge(Self.claims(), key: key, kid: "grant")
        await #expect(throws: TokenRejection.unknownKeyID("grant")) { try await verifier().verify(wrongKid) }
    }

    @Test("a broker with no SAML provider trusts no token under its own issuer name")
    func noSAMLNoTokens() async throws {
        let minted = try await LoginTokenIssuer(key: key).issue(for: Self.alice, provider: "corp", lifetime: 600)
        let plain = TokenVerifier(providers: [], logger: Logger(label: "test"))
        await #expect(throws: TokenRejection.untrustedIssuer(LoginTokenIssuer.issuer)) {
            try await plain.verify(minted.token)
        }
    }
}
