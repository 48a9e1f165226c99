/// Reads JSON text arriving in chunks of any size and lets a caller replace scalar values in place, emitting
/// everything else byte for byte: formatting, key order and numbers the caller leaves alone stay exactly as the
/// target sent them, and nothing is held back but the scalar being read.
///
/// It accepts one JSON value or a sequence of them separated by whitespace (newline-delimited JSON, a Kubernetes
/// watch, `application/json-seq` with its record separators), so a stream that never ends is rewritten as it flows.
/// Memory is bounded by the largest single scalar (`largestToken`), never by the document.
struct JSONStreamRewriter {
    /// One scalar the caller may replace: its raw bytes as sent, and what they read as. Object keys are offered
    /// too (kind `key`, at the path of the object holding them): a key can carry data as surely as a value.
    struct Scalar {
        enum Kind { case string, number, literal, key }
        var kind: Kind
        var raw: ArraySlice<UInt8>
        /// The decoded string, the number's digits, or `true`/`false`/`null`.
        var text: String
    }

    /// The largest scalar read whole; a longer one ends the stream with an error instead of growing without bound.
    let largestToken: Int
    /// The first key an object repeated, if any: parsers disagree on which copy wins, so a body with one cannot be
    /// judged with certainty.
    private(set) var duplicateKey: String?

    private enum Expect { case value, valueOrEnd, key, keyOrEnd, colon, commaOrEnd }
    private enum Frame {
        case object(keys: Set<String>, current: String?)
        case array
    }
    private enum Token {
        case string(isKey: Bool, escaped: Bool)
        case number
        case literal
    }

    private var stack: [Frame] = []
    private var expect = Expect.value
    private var token: Token?
    private var tokenBytes: [UInt8] = []
    private var offset = 0

    init(largestToken: Int = 16 << 20) {
        self.largestToken = largestToken
    }

    /// The keys from the root to where a value now sits, array levels skipped (`users[3].email` is
    /// `["users", "email"]`).
    var path: [String] {
        stack.compactMap { frame in
            if case .object(_, let current) = frame { return current }
            return nil
        }
    }

    /// Accepts the next chunk and returns what can be emitted now, scalars replaced as `rewrite` says (nil keeps
    /// them as they are).
    mutating func feed(
        _ bytes: some Collection<UInt8>, rewrite: (Scalar, [String]) -> [UInt8]?
    ) throws(JSONStreamError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        for byte in bytes {
            try step(byte, into: &out, rewrite: rewrite)
            offset += 1
        }
        return out
    }

    /// Ends the stream: completes a trailing number or literal, and fails when a value was left unfinished.
    mutating func finish(rewrite: (Scalar, [String]) -> [UInt8]?) throws(JSONStreamError) -> [UInt8] {
        var out: [UInt8] = []
        switch token {
        case .number?, .literal?: try completeScalar(into: &out, rewrite: rewrite)
        case .string?: throw JSONStreamError(message: "the JSON ends inside a string", offset: offset)
        case nil: break
        }
        guard stack.isEmpty, expect == .value || expect == .commaOrEnd else {
            throw JSONStreamError(message: "the JSON ends inside an object or array", offset: offset)
        }
        return out
    }

    private mutating func step(_ byte: UInt8, into out: inout [UInt8], rewrite: (Scalar, [String]) -> [UInt8]?)
        throws(JSONStreamError)
    {
        switch token {
        case .string(let isKey, let escaped)?:
            try append(byte)
            if escaped {
                token = .string(isKey: isKey, escaped: false)
            } else if byte == UInt8(ascii: "\\") {
                token = .string(isKey: isKey, escaped: true)
            } else if byte == UInt8(ascii: "\"") {
                if isKey {
                    try completeKey(into: &out, rewrite: rewrite)
                } else {
                    try completeScalar(into: &out, rewrite: rewrite)
                }
            } else if byte < 0x20 {
                throw JSONStreamError(message: "a control character inside a JSON string", offset: offset)
            }
            return
        case .number?:
            if Self.isNumberByte(byte) {
                try append(byte)
                return
            }
            try completeScalar(into: &out, rewrite: rewrite)
        case .literal?:
            if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") {
                try append(byte)
                return
            }
            try completeScalar(into: &out, rewrite: rewrite)
        case nil:
            break
        }
        try structural(byte, into: &out)
    }

    private mutating func structural(_ byte: UInt8, into out: inout [UInt8]) throws(JSONStreamError) {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x1E:
            out.append(byte)
            return
        default: break
        }
        switch (expect, byte) {
        case (.value, UInt8(ascii: "{")), (.valueOrEnd, UInt8(ascii: "{")):
            stack.append(.object(keys: [], current: nil))
            expect = .keyOrEnd
        case (.value, UInt8(ascii: "[")), (.valueOrEnd, UInt8(ascii: "[")):
            stack.append(.array)
            expect = .valueOrEnd
        case (.keyOrEnd, UInt8(ascii: "}")), (.commaOrEnd, UInt8(ascii: "}")):
            guard case .object? = stack.last else { throw unexpected(byte) }
            stack.removeLast()
            afterValue()
        case (.valueOrEnd, UInt8(ascii: "]")), (.commaOrEnd, UInt8(ascii: "]")):
            guard case .array? = stack.last else { throw unexpected(byte) }
            stack.removeLast()
            afterValue()
        case (.commaOrEnd, UInt8(ascii: ",")):
            guard let top = stack.last else { throw unexpected(byte) }
            if case .object = top { expect = .key } else { expect = .value }
        case (.colon, UInt8(ascii: ":")):
            expect = .value
        case (.key, UInt8(ascii: "\"")), (.keyOrEnd, UInt8(ascii: "\"")):
            token = .string(isKey: true, escaped: false)
            tokenBytes = [byte]
            return
        case (.value, UInt8(ascii: "\"")), (.valueOrEnd, UInt8(ascii: "\"")):
            token = .string(isKey: false, escaped: false)
            tokenBytes = [byte]
            return
        case (.value, _) where Self.startsNumber(byte), (.valueOrEnd, _) where Self.startsNumber(byte):
            token = .number
            tokenBytes = [byte]
            return
        case (.value, UInt8(ascii: "t")), (.value, UInt8(ascii: "f")), (.value, UInt8(ascii: "n")),
            (.valueOrEnd, UInt8(ascii: "t")), (.valueOrEnd, UInt8(ascii: "f")), (.valueOrEnd, UInt8(ascii: "n")):
            token = .literal
            tokenBytes = [byte]
            return
        default:
            throw unexpected(byte)
        }
        out.append(byte)
    }

    private mutating func completeKey(into out: inout [UInt8], rewrite: (Scalar, [String]) -> [UInt8]?)
        throws(JSONStreamError)
    {
        guard let key = JSONText.decodeString(tokenBytes[...]) else {
            throw JSONStreamError(message: "a JSON key with a malformed escape", offset: offset)
        }
        guard case .object(var keys, _)? = stack.popLast() else { throw unexpected(UInt8(ascii: "\"")) }
        let enclosing = path
        if !keys.insert(key).inserted, duplicateKey == nil { duplicateKey = key }
        stack.append(.object(keys: keys, current: key))
        out.append(contentsOf: rewrite(Scalar(kind: .key, raw: tokenBytes[...], text: key), enclosing) ?? tokenBytes)
        token = nil
        expect = .colon
    }

    private mutating func completeScalar(into out: inout [UInt8], rewrite: (Scalar, [String]) -> [UInt8]?)
        throws(JSONStreamError)
    {
        let kind: Scalar.Kind
        let text: String
        switch token {
        case .string?:
            kind = .string
            guard let decoded = JSONText.decodeString(tokenBytes[...]) else {
                throw JSONStreamError(message: "a JSON string with a malformed escape", offset: offset)
            }
            text = decoded
        case .number?:
            kind = .number
            text = String(decoding: tokenBytes, as: UTF8.self)
            guard Double(text) != nil else { throw JSONStreamError(message: "a malformed number", offset: offset) }
        default:
            kind = .literal
            text = String(decoding: tokenBytes, as: UTF8.self)
            guard ["true", "false", "null"].contains(text) else {
                throw JSONStreamError(message: "'\(text)' is not a JSON literal", offset: offset)
            }
        }
        let scalar = Scalar(kind: kind, raw: tokenBytes[...], text: text)
        out.append(contentsOf: rewrite(scalar, path) ?? tokenBytes)
        token = nil
        afterValue()
    }

    private mutating func afterValue() {
        expect = stack.isEmpty ? .value : .commaOrEnd
    }

    private mutating func append(_ byte: UInt8) throws(JSONStreamError) {
        guard tokenBytes.count < largestToken else {
            throw JSONStreamError(message: "a JSON value longer than \(largestToken) bytes", offset: offset)
        }
        tokenBytes.append(byte)
    }

    private func unexpected(_ byte: UInt8) -> JSONStreamError {
        JSONStreamError(message: "unexpected byte 0x\(PercentEncoding.hexDigits(byte)) in JSON", offset: offset)
    }

    private static func startsNumber(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default: false
        }
    }
}

/// JSON that could not be read; `offset` counts bytes from the start of the stream.
struct JSONStreamError: Error, Sendable, CustomStringConvertible {
    var message: String
    var offset: Int
    var description: String { "\(message) at byte \(offset)" }
}
