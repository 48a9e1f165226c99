import NIOHTTP1

/// Removes the held credential from whatever a target sends back. Targets reflect what they were sent more often
/// than one would hope (echo and debug endpoints, error pages quoting the request, `WWW-Authenticate` hints), and a
/// reflected token would hand the client the very credential the broker exists to hold. Every occurrence becomes
/// `[HELD_CREDENTIAL]`, in headers and bodies, masked resource or not; a stream keeps back only a tail that could
/// still be the start of a secret.
///
/// A reflection is rarely byte for byte when the secret holds punctuation: JSON encoders write `/` as `\/` (PHP) or
/// `+` as `\u002B` (.NET), URL encoders write `%2F`, and each encoder escapes its own set of characters. So every
/// byte of a secret other than a letter or digit is matched in any of those spellings, independently: the client
/// would undo any of them and hold the credential.
struct HeldSecretScrubber {
    static let replacement = Array("[HELD_CREDENTIAL]".utf8)

    private let secrets: [[UInt8]]
    private let keep: Int
    /// Bytes a spelling of some secret can start with, so most bytes are passed over at a glance.
    private let starts: [Bool]
    private var pending: [UInt8] = []
    /// How many occurrences were removed.
    private(set) var removed = 0

    /// `secrets` shorter than 8 bytes are ignored: too short to tell from ordinary text.
    init(secrets: [String]) {
        self.secrets = Set(secrets.filter { $0.utf8.count >= 8 }).map { Array($0.utf8) }.sorted { $0.count > $1.count }
        // The longest spelling of any secret, less one byte: a secret may still be starting in that tail.
        keep = max(0, (self.secrets.map { $0.map(Self.longestSpelling).reduce(0, +) }.max() ?? 0) - 1)
        var starts = [Bool](repeating: false, count: 256)
        for first in self.secrets.compactMap(\.first) {
            starts[Int(first)] = true
            if Self.isPunctuation(first) {
                starts[Int(UInt8(ascii: "%"))] = true
                starts[Int(UInt8(ascii: "\\"))] = true
            }
        }
        self.starts = starts
    }

    var isActive: Bool { !secrets.isEmpty }

    mutating func feed(_ bytes: [UInt8]) -> [UInt8] {
        guard isActive else { return bytes }
        pending += bytes
        let scrubbed = scrub(pending)
        // Only a tail that could still become a secret is kept back, so a stream (a watch, server-sent events)
        // that pauses is not held up by bytes that cannot be one.
        let release =
            (max(0, scrubbed.count - keep)..<scrubbed.count).first { index in
                starts[Int(scrubbed[index])] && secrets.contains { Self.couldStart($0, in: scrubbed, at: index) }
            } ?? scrubbed.count
        pending = Array(scrubbed[release...])
        return Array(scrubbed[..<release])
    }

    mutating func finish() -> [UInt8] {
        defer { pending = [] }
        return pending
    }

    /// Every header value scrubbed, names and order kept.
    mutating func scrub(_ headers: HTTPHeaders) -> HTTPHeaders {
        guard isActive else { return headers }
        return HTTPHeaders(headers.map { ($0.name, scrub($0.value)) })
    }

    mutating func scrub(_ text: String) -> String {
        guard isActive else { return text }
        return String(decoding: scrub(Array(text.utf8)), as: UTF8.self)
    }

    private mutating func scrub(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        var found = false
        while index < bytes.count {
            if starts[Int(bytes[index])],
                let length = secrets.lazy.compactMap({ Self.spelled($0, in: bytes, at: index) }).first
            {
                result += Self.replacement
                index += length
                removed += 1
                found = true
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return found ? result : bytes
    }

    // MARK: Spellings

    /// How many bytes of `bytes` from `start` spell `secret`, nil when they do not (or not yet, at the end).
    private static func spelled(_ secret: [UInt8], in bytes: [UInt8], at start: Int) -> Int? {
        var index = start
        for byte in secret {
            guard let length = spelled(byte, in: bytes, at: index) else { return nil }
            index += length
        }
        return index - start
    }

    /// Whether the bytes from `start` to the end begin a spelling of `secret` that more bytes could complete.
    private static func couldStart(_ secret: [UInt8], in bytes: [UInt8], at start: Int) -> Bool {
        var index = start
        for byte in secret {
            switch spelling(byte, in: bytes, at: index) {
            case .spelled(let length): index += length
            case .incomplete: return true
            case .different: return false
            }
        }
        // A whole spelling was already replaced by `scrub`.
        return false
    }

    /// How many bytes spell `byte` at `index`, nil when they do not (or not yet, at the end).
    private static func spelled(_ byte: UInt8, in bytes: [UInt8], at index: Int) -> Int? {
        if case .spelled(let length) = spelling(byte, in: bytes, at: index) { return length }
        return nil
    }

    private enum Spelling {
        case spelled(Int)
        /// The bytes end before they could say.
        case incomplete
        case different
    }

    /// How `byte` is spelled at `index`: itself, or for punctuation `\/`-style, `\u00XX` or `%XX` (hex digits in
    /// either case).
    private static func spelling(_ byte: UInt8, in bytes: [UInt8], at index: Int) -> Spelling {
        guard index < bytes.count else { return .incomplete }
        if bytes[index] == byte { return .spelled(1) }
        guard isPunctuation(byte) else { return .different }
        switch bytes[index] {
        case UInt8(ascii: "%"):
            guard index + 2 < bytes.count else { return .incomplete }
            return hex(bytes, at: index + 1, is: byte) ? .spelled(3) : .different
        case UInt8(ascii: "\\"):
            guard index + 1 < bytes.count else { return .incomplete }
            if bytes[index + 1] == byte, byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\"") { return .spelled(2) }
            guard bytes[index + 1] == UInt8(ascii: "u") else { return .different }
            guard index + 5 < bytes.count else { return .incomplete }
            guard bytes[index + 2] == UInt8(ascii: "0"), bytes[index + 3] == UInt8(ascii: "0"),
                hex(bytes, at: index + 4, is: byte)
            else { return .different }
            return .spelled(6)
        default:
            return .different
        }
    }

    private static func hex(_ bytes: [UInt8], at index: Int, is byte: UInt8) -> Bool {
        guard index + 1 < bytes.count, let high = PercentEncoding.hexValue(bytes[index]),
            let low = PercentEncoding.hexValue(bytes[index + 1])
        else { return false }
        return high << 4 | low == byte
    }

    /// ASCII other than letters and digits: what encoders escape.
    private static func isPunctuation(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), 0x80...:
            false
        default: true
        }
    }

    private static func longestSpelling(_ byte: UInt8) -> Int { isPunctuation(byte) ? 6 : 1 }
}
