package import Foundation

/// A token cached for one broker, with what is needed to renew it without asking the user again.
package struct CachedToken: Codable, Sendable, Equatable {
    package var accessToken: String
    package var refreshToken: String?
    /// Nil when the token's lifetime is unknown (an opaque provided token).
    package var expiresAt: Date?
    package var issuer: String
    package var tokenEndpoint: String?
    package var clientID: String?
    package var obtainedBy: TokenOrigin
    /// Scopes and audience asked for, so a client-credentials token can be asked for again the same way.
    package var scopes: [String]
    package var audience: String?

    package init(
        accessToken: String,
        refreshToken: String?,
        expiresAt: Date?,
        issuer: String,
        tokenEndpoint: String?,
        clientID: String?,
        obtainedBy: TokenOrigin,
        scopes: [String] = [],
        audience: String? = nil
    ) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.issuer = issuer
        self.tokenEndpoint = tokenEndpoint
        self.clientID = clientID
        self.obtainedBy = obtainedBy
        self.scopes = scopes
        self.audience = audience
    }

    /// Whether the token is expired or will be within `margin`, so a call started now could be refused mid-way.
    package func expires(within margin: TimeInterval, now: Date = Date()) -> Bool {
        guard let expiresAt else { return false }
        return expiresAt.timeIntervalSince(now) <= margin
    }

    enum CodingKeys: String, CodingKey {
        case issuer, scopes, audience
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case expiresAt = "expires_at"
        case tokenEndpoint = "token_endpoint"
        case clientID = "client_id"
        case obtainedBy = "obtained_by"
    }
}
