import Crypto
import Foundation

/// The per-session password engines with a client login issue: 192 random bits, URL-safe so it pastes into
/// connection URIs unescaped. It lives only in the broker's memory and the client's output.
enum SessionPassword {
    /// The user name every session login uses; the session, not the name, says who it is.
    static let user = "hoop"

    static func generate() -> String {
        SymmetricKey(size: .init(bitCount: 192)).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
}
