import Testing

@testable import Broker

/// The held credential coming back in a response, as a target that reflects what it was sent would return it:
/// cut across chunks at every position, repeated, escaped the way JSON and URL encoders write it. None of it
/// reaches the client.
@Suite("HTTP responses: held credential scrubbing")
struct HeldSecretScrubberTests {
    static let token = "api-held-token-5d1e"
    static let replacement = String(decoding: HeldSecretScrubber.replacement, as: UTF8.self)

    /// Scrubs `chunks` as one stream.
    static func scrubbed(_ chunks: [[UInt8]], secrets: [String] = [token]) -> (text: String, removed: Int) {
        var scrubber = HeldSecretScrubber(secrets: secrets)
        var out: [UInt8] = []
        for chunk in chunks { out += scrubber.feed(chunk) }
        out += scrubber.finish()
        return (String(decoding: out, as: UTF8.self), scrubber.removed)
    }

    static let document = Array(#"{"headers": [["Authorization", "Bearer \#(token)"]], "body": "x"}"#.utf8)

    @Test("a secret cut at every position, in two and in three pieces, is removed exactly once")
    func everyPosition() {
        let whole = Self.scrubbed([Self.document])
        #expect(!whole.text.contains(Self.token) && whole.text.contains(Self.replacement) && whole.removed == 1)
        for cut in 0...Self.document.count {
            let split = Self.scrubbed([Array(Self.document[..<cut]), Array(Self.document[cut...])])
            #expect(split.text == whole.text && split.removed == 1, "cut at \(cut)")
        }
        for first in 0...Self.document.count {
            for second in first...min(Self.document.count, first + Self.token.count + 1) {
                let chunks = [
                    Array(Self.document[..<first]), Array(Self.document[first..<second]),
                    Array(Self.document[second...]),
                ]
                #expect(Self.scrubbed(chunks).text == whole.text, "cuts at \(first), \(second)")
            }
        }
        #expect(Self.scrubbed(Self.document.map { [$0] }).text == whole.text, "one byte at a time")
    }

    @Test("nothing released along the way holds the secret, so a client reading as it arrives never sees it")
    func nothingEarly() {
        var scrubber = HeldSecretScrubber(secrets: [Self.token])
        var seen: [UInt8] = []
        for byte in Self.document {
            seen += scrubber.feed([byte])
            #expect(!String(decoding: seen, as: UTF8.self).contains(Self.token))
        }
    }

    @Test("repeated, adjacent and overlapping occurrences are all removed")
    func repeated() {
        let text = Self.token + Self.token + " x " + Self.token + "api-held-" + Self.token
        let result = Self.scrubbed([Array(text.utf8)])
        #expect(!result.text.contains(Self.token) && result.removed == 4, "\(result)")
        let chunked = Self.scrubbed(Array(text.utf8).map { [$0] })
        #expect(chunked.text == result.text && chunked.removed == 4)
    }

    @Test("secrets shorter than eight bytes are ignored; a longer one still counts")
    func shortSecrets() {
        let scrubber = HeldSecretScrubber(secrets: ["abc", "1234567"])
        #expect(!scrubber.isActive)
        #expect(Self.scrubbed([Array("abc 1234567".utf8)], secrets: ["abc", "1234567"]).text == "abc 1234567")
        let mixed = Self.scrubbed([Array("abc 12345678".utf8)], secrets: ["abc", "12345678"])
        #expect(mixed.text == "abc " + Self.replacement && mixed.removed == 1)
    }

    @Test("a Basic credential's password and encoded pair are both removed, the longer first")
    func basic() {
        let password = "s3cret/pass+word"
        let pair = "dXNlcjpzM2NyZXQvcGFzcyt3b3Jk"
        let text = "Basic \(pair) and \(password)"
        let result = Self.scrubbed([Array(text.utf8)], secrets: [password, pair])
        #expect(!result.text.contains(pair) && !result.text.contains(password) && result.removed == 2, "\(result)")
    }

    @Test("the secret escaped as JSON and URL encoders write it is removed too")
    func escapedSpellings() {
        let password = "s3cret/pass+word=="
        for spelling in [
            #"s3cret\/pass+word=="#, "s3cret%2Fpass%2Bword%3D%3D", "s3cret%2fpass%2bword%3d%3d",
            #"s3cret\u002Fpass\u002Bword\u003D\u003D"#, #"s3cret\u002fpass+word\u003d\u003d"#,
        ] {
            let text = #"{"echo": "\#(spelling)"}"#
            let result = Self.scrubbed(Array(text.utf8).map { [$0] }, secrets: [password])
            #expect(!result.text.contains("s3cret") && result.removed == 1, "\(spelling): \(result.text)")
        }
    }

    @Test("header values are scrubbed whole")
    func headers() {
        var scrubber = HeldSecretScrubber(secrets: [Self.token])
        #expect(scrubber.scrub("Bearer realm=\"\(Self.token)\"") == "Bearer realm=\"\(Self.replacement)\"")
        #expect(scrubber.scrub("nothing here") == "nothing here" && scrubber.removed == 1)
    }

    @Test("a long stream without the secret passes unchanged, holding back less than its longest spelling")
    func passThrough() {
        var scrubber = HeldSecretScrubber(secrets: [Self.token])
        let chunk = Array(String(repeating: "abcdefghij", count: 1000).utf8)
        let first = scrubber.feed(chunk)
        #expect(first.count >= chunk.count - 6 * Self.token.utf8.count)
        #expect(first + scrubber.finish() == chunk)
    }

    @Test("a stream that pauses is released at once unless its tail could still begin the secret")
    func pausedStreams() {
        var scrubber = HeldSecretScrubber(secrets: [Self.token])
        let event = Array("{\"type\":\"MODIFIED\",\"object\":{\"name\":\"web-0\"}}\n".utf8)
        #expect(scrubber.feed(event) == event, "a watch event is not held back waiting for more")
        let prefix = Array(Self.token.utf8.prefix(5))
        let waiting = scrubber.feed(Array("line ".utf8) + prefix)
        #expect(waiting == Array("line ".utf8), "only the possible beginning of the secret waits")
        let rest = scrubber.feed(Array(Self.token.utf8.dropFirst(5)) + Array(" end".utf8))
        #expect(String(decoding: rest, as: UTF8.self) == "[HELD_CREDENTIAL] end")
    }
}
