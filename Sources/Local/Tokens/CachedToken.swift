public import Foundation

/// A token cached for one broker, with what is needed to renew it without asking the user again.
public struct CachedToken: Codable, Sendable, Equatable {
    public var accessToken: String
    public var refreshToken: String?
    /// Nil when the token's lifetime is unknown (an opaque provided token).
    public var expiresAt: Date?
    public var issuer: String
    public var tokenEndpoint: String?
    public var clientID: String?
    public var obtainedBy: TokenOrigin
    /// Scopes and audience asked for, so a client-credentials token can be asked for again the same way.
    public var scopes: [String]
    public var audience: String?

    public init(
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
    public func expires(within margin: TimeInterval, now: Date = Date()) -> Bool {
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
