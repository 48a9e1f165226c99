/// A request's target as the broker judges it and forwards it: one canonical spelling, so the target never reads a
/// path the rules did not see.
///
/// A gateway that matches one spelling and forwards another is bypassed by spelling a guarded path the way the
/// target, but not the gateway, understands (`/v1/%75sers/1`, `/v1/x/../users/1`, `/v1//users/1`). So the broker
/// forwards the path it judged: percent-encoded unreserved characters decoded, escapes upper-cased, dot segments
/// resolved and empty segments dropped (RFC 3986 §6.2.2). What has no single reading is refused rather than
/// guessed: an encoded `/`, `\`, `%` or control character, a `..` above the root, a raw byte outside the URI
/// grammar, and any request-target that is not a path (absolute-form, `*`).
struct HTTPRequestTarget: Sendable, Equatable {
    /// The path as forwarded, normalized.
    let path: String
    /// The query as received (validated, not rewritten), without its `?`; nil when the target has none.
    let query: String?
    /// The path's segments, percent-decoded: what path templates match.
    let segments: [String]
    /// Whether the path ends with `/` (kept: some targets tell `/users/` from `/users`).
    let trailingSlash: Bool

    /// The request-target sent to the target.
    var forwarded: String { query.map { "\(path)?\($0)" } ?? path }

    init(parsing raw: String) throws(HTTPRequestProblem) {
        guard raw.hasPrefix("/") else {
            throw HTTPRequestProblem(
                .badTarget, raw == "*" ? "the * request-target is not accepted" : "the request-target must be a path")
        }
        let bytes = Array(raw.utf8)
        let queryStart = bytes.firstIndex(of: UInt8(ascii: "?"))
        let pathBytes = bytes[..<(queryStart ?? bytes.endIndex)]
        if let queryStart {
            let queryBytes = bytes[(queryStart + 1)...]
            try Self.validate(queryBytes, allowing: Self.queryExtras, part: "query")
            query = String(decoding: queryBytes, as: UTF8.self)
        } else {
            query = nil
        }
        try Self.validate(pathBytes, allowing: [], part: "path")
        var kept: [String] = []
        let pieces = pathBytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst()
        for piece in pieces {
            let segment = try Self.canonicalSegment(piece)
            switch segment {
            case "", ".": continue
            case "..":
                guard kept.popLast() != nil else {
                    throw HTTPRequestProblem(.badTarget, "the path climbs above the root with ..")
                }
            default: kept.append(segment)
            }
        }
        let last = pieces.last.map { String(decoding: $0, as: UTF8.self) }
        trailingSlash = !kept.isEmpty && (last == "" || last == "." || last == "..")
        path = "/" + kept.joined(separator: "/") + (trailingSlash ? "/" : "")
        segments = try kept.map { segment throws(HTTPRequestProblem) in
            guard let decoded = PercentEncoding.decode(segment) else {
                throw HTTPRequestProblem(.badTarget, "a path segment is not UTF-8 once decoded")
            }
            return decoded
        }
    }

    /// The query's parameters in every reading a server could give them (see ``PercentEncoding/formPairs(_:)``).
    var parameters: [(name: String, value: String)] {
        guard let query else { return [] }
        return PercentEncoding.formPairs(query)
    }

    // MARK: Grammar

    /// Characters a query may hold beyond a path's (RFC 3986 §3.4).
    private static let queryExtras: Set<UInt8> = [UInt8(ascii: "/"), UInt8(ascii: "?")]

    /// pchar = unreserved / pct-encoded / sub-delims / ":" / "@" (RFC 3986 §3.3), plus `/` between segments.
    private static func isPathCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: Array("-._~!$&'()*+,;=:@/%".utf8).contains(byte)
        }
    }

    private static func validate(_ bytes: ArraySlice<UInt8>, allowing extras: Set<UInt8>, part: String)
        throws(HTTPRequestProblem)
    {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard isPathCharacter(byte) || extras.contains(byte) else {
                throw HTTPRequestProblem(
                    .badTarget, "the \(part) holds a character outside the URI grammar (\(Self.describe(byte)))")
            }
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex, PercentEncoding.hexValue(bytes[index + 1]) != nil,
                    PercentEncoding.hexValue(bytes[index + 2]) != nil
                else {
                    throw HTTPRequestProblem(.badTarget, "the \(part) has a % that does not start an escape")
                }
                index += 2
            }
            index += 1
        }
    }

    /// One segment with unreserved escapes decoded and the others upper-cased; escapes with more than one reading
    /// are refused.
    private static func canonicalSegment(_ bytes: ArraySlice<UInt8>) throws(HTTPRequestProblem) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "%"), let high = PercentEncoding.hexValue(bytes[index + 1]),
                let low = PercentEncoding.hexValue(bytes[index + 2])
            else {
                out.append(byte)
                index += 1
                continue
            }
            let decoded = high << 4 | low
            switch decoded {
            case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "%"), 0..<0x20, 0x7F:
                throw HTTPRequestProblem(
                    .badTarget,
                    "the path holds an encoded \(describe(decoded)), which servers read differently")
            case _ where PercentEncoding.isUnreserved(decoded):
                out.append(decoded)
            default:
                out.append(contentsOf: Array("%\(PercentEncoding.hexDigits(decoded))".utf8))
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func describe(_ byte: UInt8) -> String {
        switch byte {
        case 0x21...0x7E: "'\(Character(Unicode.Scalar(byte)))'"
        default: "byte 0x\(PercentEncoding.hexDigits(byte))"
        }
    }
}
