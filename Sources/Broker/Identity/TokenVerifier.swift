import AsyncHTTPClient
package import Foundation
package import HoopCore
import JWTKit
import Logging

/// Verifies OIDC access tokens from the configured issuers and maps them to a `Principal`.
///
/// The checks run in an order that never lets the token choose how it is verified: the header's algorithm must be
/// on the issuer's pinned (asymmetric) list before any key is looked up; the key is picked by `kid` from the
/// issuer's own JWKS and must be of the type the algorithm implies (this is what defeats the HS256-with-RSA-public-
/// key confusion); only then does jwt-kit check the signature, and only a verified token's claims are trusted.
package final class TokenVerifier: Sendable {
    private let sources: [String: IssuerKeySource]
    /// The broker's own tokens (for SAML logins) and the providers allowed to have minted them; nil when the
    /// broker issues none.
    private let loginTokens: (issuer: LoginTokenIssuer, providers: Set<String>)?
    /// Clock skew tolerated on the broker's own tokens (its clock and itself agree; the client's may not matter).
    static let loginTokenLeeway: TimeInterval = 30

    init(
        providers: [IdentityProviderConfig],
        loginTokens: (issuer: LoginTokenIssuer, providers: Set<String>)? = nil,
        httpClient: HTTPClient = IdentityFetchPolicy.client,
        logger: Logger
    ) {
        var sources: [String: IssuerKeySource] = [:]
        for provider in providers {
            sources[provider.issuer] = IssuerKeySource(config: provider, httpClient: httpClient, logger: logger)
        }
        self.sources = sources
        self.loginTokens = loginTokens
    }

    package func verify(_ token: String, now: Date = Date()) async throws(TokenRejection) -> Principal {
        let parts = try JWTParts(token)
        if parts.issuer == LoginTokenIssuer.issuer {
            guard let loginTokens else { throw .untrustedIssuer(parts.issuer) }
            if parts.header.alg?.lowercased() == "none" { throw .unsigned }
            return try await loginTokens.issuer.verify(
                token, header: parts.header, providers: loginTokens.providers, leeway: Self.loginTokenLeeway, now: now)
        }
        let (claims, config) = try await signedClaims(token, parts: parts, now: now)
        return try Self.principal(from: claims, config: config, now: now)
    }

    /// The claims of a token whose signature verifies under its issuer's pinned algorithms and published keys,
    /// with that issuer's configuration; the claims themselves are not judged yet. Only configured OIDC issuers'
    /// tokens: the broker's own login tokens are for its API (`verify`), never an ID token.
    func signedClaims(_ token: String, now: Date) async throws(TokenRejection) -> (ClaimSet, IdentityProviderConfig) {
        try await signedClaims(token, parts: try JWTParts(token), now: now)
    }

    private func signedClaims(_ token: String, parts: JWTParts, now: Date) async throws(TokenRejection)
        -> (ClaimSet, IdentityProviderConfig)
    {
        guard let algorithm = parts.header.alg else { throw .malformed("the header has no alg") }
        if algorithm.lowercased() == "none" { throw .unsigned }
        guard let source = parts.issuer.flatMap({ sources[$0] }) else { throw .untrustedIssuer(parts.issuer) }
        let config = source.config
        guard config.algorithms.contains(algorithm) else { throw .algorithmNotAllowed(algorithm) }

        let (jwk, collection) = try await source.key(for: parts.header.kid, now: now)
        try Self.checkKey(jwk, matches: algorithm)

        let claims: ClaimSet
        do {
            claims = try await collection.verify(token, as: ClaimSet.self)
        } catch {
            throw .badSignature
        }
        return (claims, config)
    }

    /// The key type (and curve) a pinned algorithm requires; a JWK's own `alg`, when present, must agree.
    static func checkKey(_ jwk: JWK, matches algorithm: String) throws(TokenRejection) {
        let keyType = jwk.keyType.rawValue
        let curve = jwk.curve?.rawValue
        let compatible =
            switch algorithm {
            case "RS256": keyType == "RSA"
            case "ES256": keyType == "EC" && curve == "P-256"
            case "EdDSA": keyType == "OKP" && curve == "Ed25519"
            default: false
            }
        guard compatible else { throw .algorithmKeyMismatch(algorithm: algorithm, keyType: keyType) }
        if let declared = jwk.algorithm?.rawValue, declared != algorithm {
            throw .algorithmKeyMismatch(algorithm: algorithm, keyType: "\(keyType) (\(declared))")
        }
    }

    static func principal(from claims: ClaimSet, config: IdentityProviderConfig, now: Date) throws(TokenRejection)
        -> Principal
    {
        guard claims.string("iss") == config.issuer else { throw .untrustedIssuer(claims.string("iss")) }
        guard let expiry = claims.date("exp") else { throw .missingClaim("exp") }
        guard expiry.addingTimeInterval(config.leeway) > now else { throw .expired(expiry) }
        if let notBefore = claims.date("nbf"), notBefore.addingTimeInterval(-config.leeway) > now {
            throw .notYetValid(notBefore)
        }
        let audiences = claims.strings("aud")
        guard audiences.contains(config.audience) else {
            throw .wrongAudience(expected: config.audience, got: audiences)
        }
        guard let subject = claims.string("sub"), !subject.isEmpty else { throw .missingClaim("sub") }
        return Principal(
            issuer: config.issuer,
            subject: subject,
            email: claims.string(config.emailClaim),
            groups: claims.strings(config.groupsClaim)
        )
    }
}
