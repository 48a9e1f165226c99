import Crypto
import Foundation

/// Proof Key for Code Exchange (RFC 7636) with S256: the verifier stays in the broker, the authorization request
/// carries only its SHA-256, so a code intercepted on its way back is useless to whoever took it.
struct PKCE: Sendable {
    static let method = "S256"

    let verifier: String

    init(verifier: String = RandomSecret.random()) {
        self.verifier = verifier
    }

    /// BASE64URL(SHA256(ASCII(verifier))), RFC 7636 §4.2.
    var challenge: String {
        RandomSecret.base64URL(Data(SHA256.hash(data: Array(verifier.utf8))))
    }
}
