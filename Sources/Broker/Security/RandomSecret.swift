import Crypto
import Foundation

/// The broker's unguessable values: web session ids, CSRF tokens, OAuth `state`, OIDC nonces, PKCE verifiers,
/// SAML login flows and their poll secrets, token ids. Each is 256 bits from the system's CSPRNG as unpadded base64url: 43 characters, which is also a
/// valid PKCE verifier (RFC 7636 §4.1).
enum RandomSecret {
    static func random() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { base64URL(Data($0)) }
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Compares a presented secret with the expected one in time that does not depend on where they differ, so
    /// a CSRF token or state cannot be found byte by byte.
    static func equal(_ presented: String, _ expected: String) -> Bool {
        let lhs = Array(presented.utf8)
        let rhs = Array(expected.utf8)
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
