import Foundation

/// OpenID Connect ID tokens, for the web page's login. The page's identity is the access token, verified exactly
/// as on the API; the ID token is read only to bind the answer to this login (its nonce, OIDC Core §3.1.3.7) and to
/// check it names the same person, and only after its signature verifies under the same pinned rules.
extension TokenVerifier {
    /// Checks an ID token from `issuer` for `clientID` carrying `nonce`; returns its subject.
    func verifyIDToken(_ token: String, issuer: String, clientID: String, nonce: String, now: Date = Date())
        async throws(TokenRejection) -> String
    {
        let (claims, config) = try await signedClaims(token, now: now)
        guard config.issuer == issuer, claims.string("iss") == issuer else {
            throw .untrustedIssuer(claims.string("iss"))
        }
        guard let expiry = claims.date("exp") else { throw .missingClaim("exp") }
        guard expiry.addingTimeInterval(config.leeway) > now else { throw .expired(expiry) }
        let audiences = claims.strings("aud")
        guard audiences.contains(clientID) else { throw .wrongAudience(expected: clientID, got: audiences) }
        guard claims.string("nonce") == nonce else { throw .wrongNonce }
        guard let subject = claims.string("sub"), !subject.isEmpty else { throw .missingClaim("sub") }
        return subject
    }
}
