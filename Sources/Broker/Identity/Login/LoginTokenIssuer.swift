import Crypto
package import Foundation
import HoopCore
import JWTKit

/// Tokens the broker signs itself, for identities it verified without an OAuth token of their own (a SAML
/// assertion). The assertion is consumed at the broker's ACS endpoint; what `hoopctl` then carries is one of these,
/// checked by `TokenVerifier` like any other bearer token, so every later step (sessions, approvals, audit) sees
/// one kind of principal whatever the login was.
///
/// The issuer is a URN no identity provider can claim (`TokenVerifier` routes on it before looking at configured
/// issuers), the algorithm is pinned to EdDSA with the broker's own login key, and the principal's issuer is the
/// identity provider that vouched for the person — so two providers' "alice" stay two people.
package struct LoginTokenIssuer: Sendable {
    /// The `iss` of every broker-issued token.
    package static let issuer = "urn:hoopctl:broker"
    /// The `aud` of every broker-issued token: only the broker's own API takes them.
    static let audience = "hoopctl-broker"
    static let algorithm = "EdDSA"
    static let keyID = "login-ed25519"

    private let key: Curve25519.Signing.PrivateKey
    private let keys: JWTKeyCollection

    init(key: Curve25519.Signing.PrivateKey) async {
        self.key = key
        self.keys = await JWTKeyCollection().add(
            eddsa: EdDSA.PrivateKey(backing: key), kid: JWKIdentifier(string: Self.keyID))
    }

    /// A token for `principal`, vouched for by the provider `provider` names, valid for `lifetime` from `now`.
    func issue(for principal: Principal, provider: String, lifetime: TimeInterval, now: Date = Date()) async throws
        -> IssuedLoginToken
    {
        let issuedAt = now.timeIntervalSince1970.rounded(.down)
        let expiry = issuedAt + lifetime.rounded(.down)
        var claims: [String: ClaimValue] = [
            "iss": .string(Self.issuer), "aud": .string(Self.audience), "sub": .string(principal.subject),
            "idp": .string(principal.issuer), "prv": .string(provider), "groups": .strings(principal.groups),
            "iat": .number(issuedAt), "nbf": .number(issuedAt), "exp": .number(expiry),
            "jti": .string(RandomSecret.random()),
        ]
        if let email = principal.email { claims["email"] = .string(email) }
        let token = try await keys.sign(ClaimSet(values: claims), kid: JWKIdentifier(string: Self.keyID))
        return IssuedLoginToken(token: token, expiresAt: Date(timeIntervalSince1970: expiry))
    }

    /// The principal of a broker-issued token. `providers` are the login providers configured now: a token minted
    /// through a provider the operator has since removed is refused, as a removed OIDC issuer's would be.
    func verify(_ token: String, header: JWTParts.Header, providers: Set<String>, leeway: TimeInterval, now: Date)
        async throws(TokenRejection) -> Principal
    {
        guard header.alg == Self.algorithm else { throw .algorithmNotAllowed(header.alg ?? "none") }
        guard header.kid == Self.keyID else { throw .unknownKeyID(header.kid ?? "(none)") }
        let claims: ClaimSet
        do {
            claims = try await keys.verify(token, as: ClaimSet.self)
        } catch {
            throw .badSignature
        }
        guard let expiry = claims.date("exp") else { throw .missingClaim("exp") }
        guard expiry.addingTimeInterval(leeway) > now else { throw .expired(expiry) }
        if let notBefore = claims.date("nbf"), notBefore.addingTimeInterval(-leeway) > now {
            throw .notYetValid(notBefore)
        }
        let audiences = claims.strings("aud")
        guard audiences == [Self.audience] else { throw .wrongAudience(expected: Self.audience, got: audiences) }
        guard let provider = claims.string("prv") else { throw .missingClaim("prv") }
        guard providers.contains(provider) else { throw .untrustedIssuer("\(Self.issuer) (provider \(provider))") }
        guard let identityProvider = claims.string("idp"), !identityProvider.isEmpty else {
            throw .missingClaim("idp")
        }
        guard let subject = claims.string("sub"), !subject.isEmpty else { throw .missingClaim("sub") }
        return Principal(
            issuer: identityProvider, subject: subject, email: claims.string("email"), groups: claims.strings("groups"))
    }
}

/// A freshly signed broker token and when it stops being accepted.
package struct IssuedLoginToken: Sendable {
    package var token: String
    package var expiresAt: Date
}
