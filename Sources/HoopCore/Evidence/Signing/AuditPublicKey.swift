package import Crypto
package import Foundation

/// The public half of a broker audit key, the one thing an auditor trusts. Its text form `ed25519:<base64>` is what
/// `hoopctl broker pubkey` prints and what a bundle's `pubkey` file holds, so a key can be compared by eye.
package struct AuditPublicKey: Sendable, Hashable, CustomStringConvertible {
    package static let prefix = "ed25519:"

    /// The 32 raw Ed25519 public key bytes.
    package let rawRepresentation: Data

    package init(_ key: Curve25519.Signing.PublicKey) {
        rawRepresentation = key.rawRepresentation
    }

    /// Parses the `ed25519:<base64>` form; surrounding whitespace (a trailing newline from a file) is ignored.
    package init(text: String) throws(EvidenceFormatError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix(Self.prefix) else {
            throw EvidenceFormatError("the key does not start with \(Self.prefix)")
        }
        guard let raw = Data(base64Encoded: String(trimmed.dropFirst(Self.prefix.count))),
            (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil
        else {
            throw EvidenceFormatError("the key is not 32 bytes of base64 after \(Self.prefix)")
        }
        rawRepresentation = raw
    }

    package var text: String { Self.prefix + rawRepresentation.base64EncodedString() }

    package var description: String { text }

    /// True when `signature` (base64) is this key's Ed25519 signature over `message`.
    package func isValidSignature(_ signature: String, for message: [UInt8]) -> Bool {
        guard let bytes = Data(base64Encoded: signature),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation)
        else { return false }
        return key.isValidSignature(bytes, for: message)
    }
}
