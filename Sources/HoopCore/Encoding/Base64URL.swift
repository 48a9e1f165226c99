package import Foundation

/// Unpadded base64url (RFC 7515 §2), the encoding of every JWS part. Padding is refused, as the JWS rules require.
package enum Base64URL {
    package static func decode(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        if base64.contains("=") { return nil }
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
