import Foundation
import HoopCore

/// Reads the expiry of a JWT access token without verifying it. The broker verifies tokens; the CLI only wants to
/// know when a token it holds stops being worth sending.
enum JWTClaims {
    /// The `exp` claim, or nil when `token` is not a JWT or has none.
    static func expiry(of token: String) -> Date? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = Base64URL.decode(parts[1]) else { return nil }
        guard let claims = try? JSONDecoder().decode(Claims.self, from: payload), let exp = claims.exp else {
            return nil
        }
        return Date(timeIntervalSince1970: exp)
    }

    private struct Claims: Decodable {
        var exp: Double?
    }
}
