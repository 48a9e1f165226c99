import Foundation

/// A successful token endpoint answer (RFC 6749 §5.1).
struct TokenResponse: Decodable, Sendable, Equatable {
    var accessToken: String
    var tokenType: String?
    var expiresIn: Int?
    var refreshToken: String?

    /// When the access token expires: from `expires_in`, else from the token's own `exp` claim if it is a JWT.
    func expiry(receivedAt: Date) -> Date? {
        if let expiresIn {
            return receivedAt.addingTimeInterval(TimeInterval(expiresIn))
        }
        return JWTClaims.expiry(of: self.accessToken)
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case refreshToken = "refresh_token"
    }
}
