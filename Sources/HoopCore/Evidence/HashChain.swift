import Crypto

/// The link rule shared by the audit chain and recordings: `hash = SHA-256(prev || canonical JSON of the body)`,
/// both as lowercase hex, where `prev` is the previous link's hash as its ASCII hex text.
public enum HashChain {
    /// `prev` of the first link in every chain.
    public static let genesis = String(repeating: "0", count: 64)

    public static func link(prev: String, body: JSONValue) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(prev.utf8))
        hasher.update(data: CanonicalJSON.encode(body))
        return hasher.finalize().hexString
    }
}

/// A link in a hash chain: audit events and recording events alike. `hash` covers `hashedBody` and `prev`.
public protocol HashLinked {
    var prev: String { get }
    var hash: String { get }
    /// The fields the hash covers, as the canonical JSON object.
    var hashedBody: JSONValue { get }
}

extension HashLinked {
    public func computeHash() -> String {
        HashChain.link(prev: prev, body: hashedBody)
    }

    /// True when the stored hash matches the content (the link was not edited).
    public var isIntact: Bool { computeHash() == hash }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hex, the text form of every digest in evidence.
    public var hexString: String {
        var text = ""
        for byte in self {
            text += byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }
        return text
    }
}
