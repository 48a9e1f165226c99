import Crypto
import Foundation

/// A node of the audit log's Merkle tree (RFC 6962 §2.1): 32 bytes of SHA-256. Leaves and interior nodes are hashed
/// under different one-byte prefixes, so a leaf can never be passed off as an interior node or the reverse.
package struct TreeHash: Sendable, Hashable, CustomStringConvertible {
    package let bytes: [UInt8]

    /// Wraps 32 bytes; nil for any other length.
    package init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        self.bytes = Array(bytes)
    }

    private init(digest: SHA256.Digest) {
        bytes = Array(digest)
    }

    /// The root of the empty tree: SHA-256 of no bytes.
    package static let empty = TreeHash(digest: SHA256.hash(data: [UInt8]()))

    /// `SHA-256(0x00 || leaf)`.
    package static func leaf(_ leaf: some Sequence<UInt8>) -> TreeHash {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: Array(leaf))
        return TreeHash(digest: hasher.finalize())
    }

    /// `SHA-256(0x01 || left || right)`.
    package static func node(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left.bytes)
        hasher.update(data: right.bytes)
        return TreeHash(digest: hasher.finalize())
    }

    /// Lowercase hex, as JSON evidence writes hashes.
    package var hex: String { bytes.hexString }

    /// Standard base64, as checkpoints and the witness protocol write hashes.
    package var base64: String { Data(bytes).base64EncodedString() }

    package init?(hex text: String) {
        let digits = Array(text.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }

    /// Only the canonical encoding: Foundation also accepts a last character with stray low bits, and a hash with
    /// two spellings would let a checkpoint's signed text differ from the body rebuilt from its fields.
    package init?(base64 text: some StringProtocol) {
        let text = String(text)
        guard let data = Data(base64Encoded: text), data.count == 32, data.base64EncodedString() == text else {
            return nil
        }
        bytes = Array(data)
    }

    package var description: String { hex }

    /// Only lowercase digits, so every hash has exactly one text form.
    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
