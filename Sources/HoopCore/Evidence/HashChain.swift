import Crypto

/// The link rule of session recordings: `hash = SHA-256(prev || canonical JSON of the body)`, both as lowercase hex,
/// where `prev` is the previous link's hash as its ASCII hex text. A recording is one session's own file, written
/// as the session runs; its last hash goes into the `session.close` leaf of the audit log, which puts the whole
/// file under the log's tree (docs/evidence.md §1).
package enum HashChain {
    /// `prev` of the first link in every chain.
    package static let genesis = String(repeating: "0", count: 64)

    package static func link(prev: String, body: JSONValue) -> String {
        link(prev: prev, canonicalBody: CanonicalJSON.encode(body))
    }

    /// The link over a body already in canonical JSON, for writers that encode it themselves.
    package static func link(prev: String, canonicalBody: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(prev.utf8))
        hasher.update(data: canonicalBody)
        return hasher.finalize().hexString
    }
}

/// A link in a recording's hash chain. `hash` covers `hashedBody` and `prev`.
package protocol HashLinked {
    var prev: String { get }
    var hash: String { get }
    /// The fields the hash covers, as the canonical JSON object.
    var hashedBody: JSONValue { get }
}

extension HashLinked {
    package func computeHash() -> String {
        HashChain.link(prev: prev, body: hashedBody)
    }

    /// True when the stored hash matches the content (the link was not edited).
    package var isIntact: Bool { computeHash() == hash }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hex, the text form of every digest in evidence.
    package var hexString: String {
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)
