import Masking
import Testing

@Suite("Masking stream masker")
struct MaskingStreamTests {
    let masker = MaskingFixtures.masker(custom: [
        CustomDetector(name: "employee_id", pattern: #"EMP-\d{6}"#, strategy: .redact)
    ])

    /// Feeds `chunks` and finishes, checking the held-back bound after every feed.
    func stream(_ chunks: [[UInt8]], window: Int = 4096) -> (output: [UInt8], summary: MaskingSummary) {
        var streamMasker = StreamMasker(masker: masker, window: window)
        var output: [UInt8] = []
        for chunk in chunks {
            output += streamMasker.feed(chunk)
            #expect(streamMasker.heldBackCount <= window)
        }
        output += streamMasker.finish()
        #expect(streamMasker.heldBackCount == 0)
        return (output, streamMasker.summary)
    }

    @Test(
        "a value split at every offset is masked exactly as the whole stream would be",
        arguments: [
            "$ cat users.csv\nid,email\n1,alice@example.com\n2,bob@example.org\n",
            "charge 4242 4242 4242 4242 ok\nnext line\n",
            "config:\n\(MaskingFixtures.privateKey)\ntrailer\n",
            "staff EMP-004211 ssn 123-45-6789 from 10.0.0.1\n",
            "naïve café ✓ 415-555-0132 — 日本語\n",
        ])
    func everySplit(text: String) {
        let bytes = Array(text.utf8)
        let expected = masker.mask(bytes: bytes)
        #expect(expected.bytes != bytes)
        for split in 0...bytes.count {
            let result = stream([Array(bytes[..<split]), Array(bytes[split...])])
            #expect(result.output == expected.bytes, "split at \(split)")
            #expect(result.summary == expected.findings, "split at \(split)")
        }
    }

    @Test("byte-at-a-time input produces the same output and never breaks a UTF-8 character")
    func byteAtATime() {
        let text = "é→ alice@example.com ✓\n日本 \(MaskingFixtures.jwt)\nprompt$ "
        let bytes = Array(text.utf8)
        var streamMasker = StreamMasker(masker: masker, window: 256)
        var pieces: [[UInt8]] = []
        for byte in bytes { pieces.append(streamMasker.feed([byte])) }
        pieces.append(streamMasker.finish())
        for piece in pieces where !piece.isEmpty {
            #expect(String(validating: piece, as: UTF8.self) != nil)
        }
        #expect(pieces.flatMap { $0 } == masker.mask(bytes: bytes).bytes)
    }

    @Test("releases complete lines and shell prompts at once, holding only an unfinished line")
    func releasesEarly() {
        var streamMasker = StreamMasker(masker: masker)
        #expect(streamMasker.feed(Array("line one\nhalf of alice@exa".utf8)) == Array("line one\n".utf8))
        #expect(streamMasker.heldBackCount == "half of alice@exa".utf8.count)
        #expect(
            streamMasker.feed(Array("mple.com\nuser@host:~$ ".utf8)) == Array("half of [EMAIL]\nuser@host:~$ ".utf8))
        #expect(streamMasker.heldBackCount == 0)
    }

    @Test("a line longer than the window is released without exceeding it, and its values stay masked")
    func longLine() {
        let line = String(repeating: "row alice@example.com 4242 4242 4242 4242 ", count: 40)
        let bytes = Array(line.utf8)
        let chunks = stride(from: 0, to: bytes.count, by: 37).map { Array(bytes[$0..<min($0 + 37, bytes.count)]) }
        let result = stream(chunks, window: 256)
        let output = String(decoding: result.output, as: UTF8.self)
        #expect(!output.contains("alice@") && !output.contains("4242"))
        #expect(result.summary.counts == ["email": 40, "payment_card": 40])
    }

    @Test("a private key longer than the window is replaced once and its remaining lines are suppressed")
    func keyLongerThanWindow() {
        let body = (0..<40).map { _ in "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun" }
        let text =
            "before\n-----BEGIN OPENSSH PRIVATE KEY-----\n" + body.joined(separator: "\n")
            + "\n-----END OPENSSH PRIVATE KEY-----\nafter\n"
        let bytes = Array(text.utf8)
        let chunks = stride(from: 0, to: bytes.count, by: 100).map { Array(bytes[$0..<min($0 + 100, bytes.count)]) }
        let result = stream(chunks, window: 512)
        #expect(String(decoding: result.output, as: UTF8.self) == "before\n[PRIVATE_KEY]\nafter\n")
        #expect(result.summary.counts == ["private_key": 1])
    }

    @Test("binary bytes pass through untouched around masked text")
    func binary() {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x00] + Array(" EMP-123456 a@example.com ".utf8) + [0xC3]
        let result = stream([bytes])
        #expect(result.output == [0xFF, 0xFE, 0x00] + Array(" [EMPLOYEE_ID] [EMAIL] ".utf8) + [0xC3])
    }

    @Test("random chunkings of a mixed log give the same output as masking it whole")
    func randomChunkings() {
        let text =
            (0..<30).map { index in
                "\(index) user\(index)@example.com paid with 4242 4242 4242 4242 from 10.0.\(index).7 é✓ "
                    + "token=k8Jd2LmQ9xTzW4vRb7NcYp3HsFg6AeKu EMP-00\(1000 + index)\n"
            }.joined() + MaskingFixtures.privateKey + "\n$ "
        let bytes = Array(text.utf8)
        let expected = masker.mask(bytes: bytes)
        var generator = MaskingSeededGenerator(seed: 42)
        for _ in 0..<25 {
            var chunks: [[UInt8]] = []
            var offset = 0
            while offset < bytes.count {
                let length = Int.random(in: 1...300, using: &generator)
                chunks.append(Array(bytes[offset..<min(offset + length, bytes.count)]))
                offset += length
            }
            let result = stream(chunks)
            #expect(result.output == expected.bytes)
            #expect(result.summary == expected.findings)
        }
        #expect(expected.findings.counts["email"] == 30 && expected.findings.counts["private_key"] == 1)
    }
}

/// A small deterministic generator (SplitMix64), so random chunkings are the same on every run.
struct MaskingSeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
