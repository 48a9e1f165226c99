import NIOCore
import Testing

@testable import PostgresWire

/// Seeded random input for the decoders: they must only ever return messages, wait for more bytes, or throw
/// `PostgresCodecError` — never crash, hang, or throw anything else. And whatever they accept must re-encode to
/// exactly the bytes it was decoded from, which is what lets the broker forward what it inspected.
@Suite("PostgreSQL codec under random input")
struct PostgresCodecFuzzTests {
    typealias Fixtures = PostgresCodecFixtures

    /// What a run saw, so a change that stops the fuzzer from getting past the framing shows up as a failure.
    struct Tally {
        var messages = 0
        var errors: [PostgresCodecError.Kind: Int] = [:]
        var inputs = 0
    }

    enum Target: CaseIterable {
        case frontendStartup
        case frontendTyped
        case backend
    }

    @Test("random bytes, shaped just enough to pass the type check half the time")
    func randomBytes() throws {
        var random = PostgresCodecSeededGenerator(seed: 0x5EED_0001)
        var tally = Tally()
        for _ in 0..<6000 {
            let target = Target.allCases.randomElement(using: &random)!
            var bytes: [UInt8] = (0..<Int.random(in: 0...96, using: &random)).map { _ in
                .random(in: 0...255, using: &random)
            }
            if Bool.random(using: &random) {
                shape(&bytes, for: target, using: &random)
            }
            try feed(bytes, to: target, using: &random, tally: &tally)
        }
        #expect(tally.inputs == 6000)
        #expect(tally.messages >= 300)
        #expect(tally.errors.count >= 12)
    }

    @Test("valid streams with random mutations")
    func mutations() throws {
        var random = PostgresCodecSeededGenerator(seed: 0x5EED_0002)
        let streams: [(Target, [UInt8])] = [
            (
                .frontendStartup,
                Array(try Fixtures.encode([Fixtures.startup] + Fixtures.frontendTyped).readableBytesView)
            ),
            (.frontendTyped, Array(try Fixtures.encode(Fixtures.frontendTyped).readableBytesView)),
            (.backend, Array(try Fixtures.encode(Fixtures.backend).readableBytesView)),
            (.frontendStartup, Array(try Fixtures.encode(Fixtures.frontendStartupPhase.suffix(1)).readableBytesView)),
        ]
        var tally = Tally()
        for _ in 0..<8000 {
            let (target, stream) = streams.randomElement(using: &random)!
            var bytes = stream
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                mutate(&bytes, using: &random)
            }
            try feed(bytes, to: target, using: &random, tally: &tally)
        }
        #expect(tally.inputs == 8000)
        #expect(tally.messages >= 40_000)
        #expect(tally.errors.count >= 12)
    }

    /// Feeds `bytes` in random chunks, as reads from a socket would arrive, and checks every outcome.
    private func feed(
        _ bytes: [UInt8],
        to target: Target,
        using random: inout PostgresCodecSeededGenerator,
        tally: inout Tally
    ) throws {
        tally.inputs += 1
        var frontend = try target == .frontendTyped ? Fixtures.typedFrontendDecoder() : PostgresFrontendDecoder()
        var backend = PostgresBackendDecoder()
        var buffer = ByteBuffer()
        var fed = 0
        do {
            while fed < bytes.count {
                let chunk = Int.random(in: 1...max(1, bytes.count - fed), using: &random)
                buffer.writeBytes(bytes[fed..<fed + chunk])
                fed += chunk
                try drain(&buffer, atEOF: false, target: target, frontend: &frontend, backend: &backend, tally: &tally)
            }
            try drain(&buffer, atEOF: true, target: target, frontend: &frontend, backend: &backend, tally: &tally)
        } catch let error as PostgresCodecError {
            tally.errors[error.kind, default: 0] += 1
        }
    }

    /// Decodes until the decoder waits or throws, checking each message against the bytes it consumed.
    private func drain(
        _ buffer: inout ByteBuffer,
        atEOF: Bool,
        target: Target,
        frontend: inout PostgresFrontendDecoder,
        backend: inout PostgresBackendDecoder,
        tally: inout Tally
    ) throws {
        // Each message consumes at least one byte, so more rounds than bytes would mean a decoder that hangs.
        for _ in 0...buffer.readableBytes + 1 {
            let before = buffer
            let reencoded: Result<ByteBuffer, PostgresCodecError>
            if target == .backend {
                guard let message = try next(from: &buffer, with: &backend, atEOF: atEOF) else { return }
                reencoded = Result { () throws(PostgresCodecError) in try message.encoded() }
            } else {
                guard let message = try next(from: &buffer, with: &frontend, atEOF: atEOF) else { return }
                reencoded = Result { () throws(PostgresCodecError) in try message.encoded() }
            }
            tally.messages += 1
            let consumed = before.getSlice(at: before.readerIndex, length: buffer.readerIndex - before.readerIndex)!
            switch reencoded {
            case .failure(let error):
                Issue.record("an accepted message does not re-encode: \(error)")
            case .success(let bytes) where bytes != consumed:
                let (was, now) = (Array(consumed.readableBytesView), Array(bytes.readableBytesView))
                Issue.record("re-encoding changed the bytes: \(was) → \(now)")
            case .success:
                continue
            }
            return
        }
        Issue.record("the decoder kept producing messages without consuming its input")
    }

    private func next<Decoder: NIOSingleStepByteToMessageDecoder>(
        from buffer: inout ByteBuffer,
        with decoder: inout Decoder,
        atEOF: Bool
    ) throws -> Decoder.InboundOut? {
        try atEOF ? decoder.decodeLast(buffer: &buffer, seenEOF: true) : decoder.decode(buffer: &buffer)
    }

    /// Gives random bytes a plausible header (a known type byte or startup code, and a length that fits), so the
    /// body parsers see random bodies instead of every input stopping at the first check.
    private func shape(_ bytes: inout [UInt8], for target: Target, using random: inout PostgresCodecSeededGenerator) {
        switch target {
        case .backend, .frontendTyped:
            guard bytes.count >= 5 else { return }
            bytes[0] =
                target == .backend
                ? PostgresBackendMessage.MessageType.allCases.randomElement(using: &random)!.rawValue
                : PostgresFrontendMessage.MessageType.allCases.randomElement(using: &random)!.rawValue
            bytes.replaceSubrange(
                1..<5, with: PostgresWire.int32(.random(in: 4...Int32(bytes.count + 3), using: &random)))
        case .frontendStartup:
            guard bytes.count >= 8 else { return }
            let codes: [Int32] = [0x0003_0000, 0x0003_0002, 80_877_102, 80_877_103, 80_877_104]
            bytes.replaceSubrange(
                0..<4, with: PostgresWire.int32(.random(in: 8...Int32(bytes.count + 3), using: &random)))
            bytes.replaceSubrange(4..<8, with: PostgresWire.int32(codes.randomElement(using: &random)!))
        }
    }

    /// One random edit, biased towards the values that break parsers: lengths and counts at their edges.
    private func mutate(_ bytes: inout [UInt8], using random: inout PostgresCodecSeededGenerator) {
        guard !bytes.isEmpty else {
            bytes.append(.random(in: 0...255, using: &random))
            return
        }
        let at = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<7, using: &random) {
        case 0:
            bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &random)
        case 1:
            bytes[at] = [0, 1, 0x7F, 0x80, 0xFF, .random(in: 0...255, using: &random)].randomElement(using: &random)!
        case 2:
            let edges: [Int32] = [-2, -1, 0, 1, 3, 4, 5, 8, 0x7FFF, 0xFFFF, 0x10000, .max, .min]
            let word = PostgresWire.int32(edges.randomElement(using: &random)!)
            let end = min(bytes.count, at + 4)
            bytes.replaceSubrange(at..<end, with: word[..<(end - at)])
        case 3:
            bytes.insert(
                contentsOf: (0..<Int.random(in: 1...8, using: &random)).map { _ in .random(in: 0...255, using: &random)
                }, at: at)
        case 4:
            bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &random)))
        case 5:
            let end = min(bytes.count, at + Int.random(in: 1...32, using: &random))
            bytes.insert(contentsOf: bytes[at..<end], at: Int.random(in: 0...bytes.count, using: &random))
        default:
            bytes.removeSubrange(at...)
        }
    }
}
