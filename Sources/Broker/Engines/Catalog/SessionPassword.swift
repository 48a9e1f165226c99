import Crypto
import Foundation
import HoopCore

/// The per-session password engines with a client login issue: 192 random bits, URL-safe so it pastes into
/// connection URIs unescaped. It lives only in the broker's memory and the client's output.
enum SessionPassword {
    /// The user name every loopback session login uses; the session, not the name, says who it is.
    static let user = "hoop"
    /// Direct-mode user names start with this; the rest is random, so the name finds the session without naming it.
    static let directUserPrefix = "hoop_"

    static func generate() -> String {
        SymmetricKey(size: .init(bitCount: 192)).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    /// A user name for a session's direct-mode login: on the broker's own port there is no tunnel grant to say
    /// which session a connection belongs to, so the name does. 96 random bits, not the session id, so knowing a
    /// session id (from a listing or the audit log) does not give its login name; the password is still the secret.
    static func directUser() -> String {
        directUserPrefix + SymmetricKey(size: .init(bitCount: 96)).withUnsafeBytes { Array($0) }.hexString
    }

    /// Compares digests so the time taken says nothing about how much of the password matched.
    static func matches(_ offered: String, _ expected: String) -> Bool {
        let a = SHA256.hash(data: Array(offered.utf8))
        let b = SHA256.hash(data: Array(expected.utf8))
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
