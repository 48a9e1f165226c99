import Foundation
import Masking
import Testing

@testable import Broker

/// The streaming JSON masker as a target's responses would test it: however the body is cut into chunks, whatever
/// escapes spell a value, wherever a covered key sits, the client gets the same masked JSON, and what cannot be
/// read as JSON ends the response instead of passing through unread.
@Suite("HTTP responses: streaming JSON masking")
struct JSONStreamRewriterTests {
    static func masker() throws -> ValueMasker {
        let columns = try ["*.ssn": MaskingStrategy.redact, "address.street": .redact].map {
            try ColumnRule(pattern: $0.key, strategy: $0.value)
        }
        let policy = try MaskingPolicy(
            detectors: [.email, .paymentCard], strategy: .redact, columns: columns, custom: [])
        return ValueMasker(policy: policy, key: MaskingKey(bytes: Array(repeating: 7, count: 32)))
    }

    /// Masks `chunks` in order, as the proxy does.
    static func masked(_ chunks: [[UInt8]], largestToken: Int = 1 << 20) throws -> String {
        var masker = JSONBodyMasker(masker: try masker(), largestToken: largestToken)
        var out: [UInt8] = []
        for chunk in chunks { out += try masker.feed(chunk) }
        out += try masker.finish()
        return String(decoding: out, as: UTF8.self)
    }

    static func masked(_ document: String) throws -> String { try masked([Array(document.utf8)]) }

    static let documents: [String] = [
        #"{"id": 1, "email": "alice@example.com", "card": "4111111111111111", "ssn": "536-22-8726"}"#,
        #"[{"address": {"street": "1 Main Street", "city": "Springfield"}}, {"n": -12.5e+3, "ok": true, "x": null}]"#,
        #"{"e": "alice\u0040example.com", "q": "say \"hi\" \\ \/", "u": "caf\u00e9 \ud83d\ude00", "card": 4111111111111111}"#,
        "{\"a\":{\"ssn\":{\"deep\":[1,\"2\",{\"x\":\"3\"}]}},\"b\":\"bob@example.org\"}\n{\"c\":[]}\n",
        "  \n\t[ 1 , 2 ,\r\n 3 ]  ",
    ]

    @Test("splitting a document at every byte gives the output of one chunk", arguments: documents.indices)
    func everyBoundary(_ index: Int) throws {
        let bytes = Array(Self.documents[index].utf8)
        let whole = try Self.masked([bytes])
        for cut in 0...bytes.count {
            #expect(try Self.masked([Array(bytes[..<cut]), Array(bytes[cut...])]) == whole, "cut at \(cut)")
        }
        #expect(try Self.masked(bytes.map { [$0] }) == whole, "one byte at a time")
        for first in stride(from: 0, through: bytes.count, by: 7) {
            for second in stride(from: first, through: bytes.count, by: 5) {
                let chunks = [Array(bytes[..<first]), Array(bytes[first..<second]), Array(bytes[second...])]
                #expect(try Self.masked(chunks) == whole, "cuts at \(first), \(second)")
            }
        }
    }

    @Test("secrets are gone, the rest is byte for byte, and the output is still JSON")
    func maskedOutput() throws {
        let out = try Self.masked(Self.documents[0])
        for secret in ["alice@example.com", "4111111111111111", "536-22-8726"] {
            #expect(!out.contains(secret), "\(secret): \(out)")
        }
        #expect(out.hasPrefix(#"{"id": 1, "email": "#), "untouched bytes are kept as sent: \(out)")
        #expect((try? JSONSerialization.jsonObject(with: Data(out.utf8))) != nil, "\(out)")
        let plain = #"{"a": 1.50, "b" : [true,false,null], "c":"text"}"#
        #expect(try Self.masked(plain) == plain, "nothing found, nothing changed")
    }

    @Test("escaped spellings of a detected value are decoded before the detectors read them")
    func escapes() throws {
        for value in [
            #"alice\u0040example.com"#, #"\u0061lice@example.com"#, #"alice@example\u002ecom"#,
            #"\u0034111111111111111"#, #"411\u0031111111111111"#, #"alice@example.com\/x"#,
        ] {
            let out = try Self.masked(#"{"v": "\#(value)"}"#)
            #expect(!out.contains("example") && !out.contains("111111111111"), "\(value) → \(out)")
        }
    }

    @Test("columns rules mask by key: nested objects, arrays, numbers and literals under the key")
    func columnsByKey() throws {
        let cases: [(document: String, secret: String)] = [
            (#"{"ssn": "536-22-8726"}"#, "536-22-8726"),
            (#"{"user": {"ssn": "536-22-8726"}}"#, "536-22-8726"),
            (#"{"users": [{"ssn": "536-22-8726"}]}"#, "536-22-8726"),
            (#"{"ssn": ["536-22-8726", "111-22-3333"]}"#, "111-22-3333"),
            (#"{"ssn": {"area": "536", "rest": "22-8726"}}"#, "22-8726"),
            (#"{"ssn": [[{"n": 536228726}]]}"#, "536228726"),
            (#"{"ssn": 536228726}"#, "536228726"),
            (#"{"ssn": true}"#, "true"),
            (#"{"SSN": "536-22-8726"}"#, "536-22-8726"),
            (#"{"s\u0073n": "536-22-8726"}"#, "536-22-8726"),
            (#"{"address": {"street": "1 Main Street"}}"#, "Main Street"),
            (#"{"address": [{"street": "1 Main Street"}]}"#, "Main Street"),
            (#"{"address": {"street": {"line1": "1 Main Street"}}}"#, "Main Street"),
        ]
        for (document, secret) in cases {
            let out = try Self.masked(document)
            #expect(!out.contains(secret), "\(document) → \(out)")
            #expect((try? JSONSerialization.jsonObject(with: Data(out.utf8))) != nil, "still JSON: \(out)")
        }
        #expect(try Self.masked(#"{"ssn": null}"#) == #"{"ssn": null}"#, "null says nothing")
        let other = #"{"billing": {"street": "1 Main Street"}, "x": {"a": 1}, "city": "ssn"}"#
        #expect(try Self.masked(other) == other, "street outside address and a value named ssn are left alone")
        let after = try Self.masked(#"{"a": {"ssn": "1"}, "street": "2 Elm", "b": "x"}"#)
        #expect(after.contains("2 Elm") && after.contains(#""b": "x""#), "leaving an object leaves its key: \(after)")
    }

    @Test("numbers are read by their value however the target spells them")
    func numbers() throws {
        for card in [
            "4111111111111111", "4111111111111111.0", "4.111111111111111e15", "4.111111111111111E+15",
            "-4111111111111111",
        ] {
            let out = try Self.masked(#"{"n": \#(card)}"#)
            #expect(!out.contains(card), "\(card) → \(out)")
            #expect((try? JSONSerialization.jsonObject(with: Data(out.utf8))) != nil, "still JSON: \(out)")
        }
        #expect(try Self.masked(#"{"n": 1.5e3}"#) == #"{"n": 1.5e3}"#)
    }

    @Test("object keys are masked too: an API keyed by e-mail leaks it as surely as a value")
    func keys() throws {
        let out = try Self.masked(#"{"byOwner": {"ada@example.com": "open", "b\u0040example.org": 1}}"#)
        #expect(!out.contains("ada@example.com") && !out.contains("example.org"), "\(out)")
        #expect((try? JSONSerialization.jsonObject(with: Data(out.utf8))) != nil, "still JSON: \(out)")
    }

    static let invalid: [String] = [
        #"{"a":}"#, #"{"a" 1}"#, "[1,]", #"{"a":1,}"#, #"{"a":1"#, #""unterminated"#, "tru", "nul", "nan",
        #"{"a":"\x"}"#, "{\"a\":\"ctl\u{01}\"}", "]", "{]", "[}", "{1:2}", "[1 2]", "-", "+1", "'a'",
        #"{"a":"\u12"}"#, "[.5]", "[1e]", "[1-]", "[--1]", "{\"a\"", "[\"a\" : 1]", #"{"a": 1 "b": 2}"#,
        "true false x",
    ]

    @Test("what is not JSON fails instead of passing through", arguments: invalid)
    func invalidFails(_ document: String) {
        #expect(throws: JSONStreamError.self, "\(document)") { try Self.masked(document) }
    }

    @Test("newline-delimited JSON is masked record by record, and a record split across chunks is one record")
    func ndjson() throws {
        let records = (1...20).map { #"{"type": "ADDED", "object": {"id": \#($0), "email": "u\#($0)@example.com"}}"# }
        let stream = Array((records.joined(separator: "\n") + "\n").utf8)
        let whole = try Self.masked([stream])
        #expect(!whole.contains("@example.com") && whole.split(separator: "\n").count == 20, "\(whole)")
        var chunks: [[UInt8]] = []
        var start = 0
        while start < stream.count {
            let end = min(stream.count, start + 13)
            chunks.append(Array(stream[start..<end]))
            start = end
        }
        #expect(try Self.masked(chunks) == whole)
        let seq = "\u{1E}{\"e\": \"a@example.com\"}\n\u{1E}[1]\n"
        #expect(try !Self.masked(seq).contains("a@example.com"), "application/json-seq record separators")
    }

    @Test("a scalar larger than the bound ends the stream; long documents of small values do not")
    func boundedTokens() throws {
        let long = #"{"a": ""# + String(repeating: "x", count: 200) + #""}"#
        #expect(throws: JSONStreamError.self) { try Self.masked([Array(long.utf8)], largestToken: 64) }
        let longNumber = "[" + String(repeating: "1", count: 200) + "]"
        #expect(throws: JSONStreamError.self) { try Self.masked([Array(longNumber.utf8)], largestToken: 64) }
        let longKey = #"{""# + String(repeating: "k", count: 200) + #"": 1}"#
        #expect(throws: JSONStreamError.self) { try Self.masked([Array(longKey.utf8)], largestToken: 64) }
        let many = "[" + Array(repeating: #""short""#, count: 5000).joined(separator: ",") + "]"
        #expect(try Self.masked([Array(many.utf8)], largestToken: 64).count == many.utf8.count)
        let spaces = "[" + String(repeating: " ", count: 10_000) + "1]"
        #expect(try Self.masked([Array(spaces.utf8)], largestToken: 64) == spaces, "whitespace is never held")
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(try Self.masked(deep) == deep, "deep nesting streams without recursion")
    }

    @Test("request bodies: duplicate keys are found however the key is escaped, and nested objects keep their own")
    func duplicateKeys() throws {
        for (body, duplicate) in [
            (#"{"a": 1, "a": 2}"#, "a"), (#"{"a": 1, "\u0061": 2}"#, "a"), (#"{"x": {"b": 1, "b": 2}}"#, "b"),
            (#"[{"a": 1}, {"a": 2}]"#, nil), (#"{"a": {"a": 1}}"#, nil),
        ] as [(String, String?)] {
            var rewriter = JSONStreamRewriter()
            _ = try rewriter.feed(Array(body.utf8)) { _, _ in nil }
            _ = try rewriter.finish { _, _ in nil }
            #expect(rewriter.duplicateKey == duplicate, "\(body)")
        }
    }
}
