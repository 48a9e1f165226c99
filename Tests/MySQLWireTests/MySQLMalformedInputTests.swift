import NIOCore
import Testing

@testable import MySQLWire

/// Hostile and broken input, by class: every truncation of a valid message, lying lengths, bytes after the last
/// field, and seeded random bytes and mutations. Parsers must only return a value or throw `MySQLWireError`, never
/// trap, and what they accept must re-encode to the bytes it came from.
@Suite("MySQL messages under malformed input")
struct MySQLMalformedInputTests {
    typealias Fixtures = MySQLWireFixtures

    /// One parser per message kind, each returning the re-encoding of what it accepted.
    static let parsers: [(String, @Sendable (ByteBuffer) throws(MySQLWireError) -> ByteBuffer)] = [
        ("handshake", { bytes throws(MySQLWireError) in try MySQLHandshakeV10(parsing: bytes).payload }),
        (
            "handshake response",
            { bytes throws(MySQLWireError) in try MySQLHandshakeResponse41(parsing: bytes).payload }
        ),
        (
            "OK",
            { bytes throws(MySQLWireError) in
                try MySQLOKPacket(parsing: bytes, capabilities: Fixtures.modern).payload(capabilities: Fixtures.modern)
            }
        ),
        ("ERR", { bytes throws(MySQLWireError) in try MySQLErrPacket(parsing: bytes).payload }),
        (
            "EOF",
            { bytes throws(MySQLWireError) in
                try MySQLEOFPacket(parsing: bytes, capabilities: Fixtures.classic).payload(
                    capabilities: Fixtures.classic)
            }
        ),
        ("column", { bytes throws(MySQLWireError) in try MySQLColumnDefinition41(parsing: bytes).payload }),
        ("text row", { bytes throws(MySQLWireError) in try MySQLTextRow(parsing: bytes, columnCount: 3).payload }),
        (
            "binary row",
            { bytes throws(MySQLWireError) in
                try MySQLBinaryRow(parsing: bytes, columns: Fixtures.columns).payload(columns: Fixtures.columns)
            }
        ),
        ("prepare OK", { bytes throws(MySQLWireError) in try MySQLPrepareOK(parsing: bytes).payload }),
        ("command", { bytes throws(MySQLWireError) in try MySQLCommand(parsing: bytes).payload }),
        ("auth switch", { bytes throws(MySQLWireError) in try MySQLAuthSwitchRequest(parsing: bytes).payload }),
    ]

    static let valid: [ByteBuffer] =
        [
            Fixtures.mariaDBHandshake,
            Fixtures.handshake.payload,
            Fixtures.handshakeResponse.payload,
            MySQLOKPacket(affectedRows: 1, statusFlags: .autocommit, info: "x").payload(capabilities: Fixtures.modern),
            MySQLErrPacket(code: 1045, sqlState: "28000", message: "denied").payload,
            MySQLEOFPacket(statusFlags: .autocommit).payload(capabilities: Fixtures.classic),
            Fixtures.columns[1].payload,
            MySQLTextRow(values: [ByteBuffer(string: "a"), nil, ByteBuffer(string: "ccc")]).payload,
            Fixtures.binaryRow.payload(columns: Fixtures.columns),
            MySQLPrepareOK(statementID: 1, columnCount: 1, paramCount: 1).payload,
            MySQLAuthSwitchRequest(pluginName: "client_ed25519", pluginData: Array(1...32)).payload,
        ] + Fixtures.commands.map(\.payload)

    /// Runs every parser on the bytes; returns how many accepted them. What a parser accepts must be stable: its
    /// re-encoding parses again and re-encodes to the same bytes (a first re-encoding may normalise on purpose:
    /// invalid UTF-8 in names, the zero filler of a handshake response, a non-minimal length prefix).
    @discardableResult
    static func parseAll(_ bytes: ByteBuffer) -> Int {
        var accepted = 0
        for (name, parse) in parsers {
            guard let reencoded = try? parse(bytes) else { continue }
            accepted += 1
            let again = try? parse(reencoded)
            #expect(again == reencoded, "\(name) is not stable for \(Array(bytes.readableBytesView))")
        }
        return accepted
    }

    @Test("every truncation of every valid message is refused or parsed, never a trap")
    func truncations() {
        var refused = 0
        for message in Self.valid {
            for length in 0..<message.readableBytes {
                let cut = message.getSlice(at: message.readerIndex, length: length)!
                refused += Self.parsers.count - Self.parseAll(cut)
            }
        }
        #expect(refused > 1000)
    }

    @Test("truncating a message that has fixed fields throws truncated or malformed")
    func specificTruncations() {
        let prepare = MySQLPrepareOK(statementID: 1, columnCount: 1, paramCount: 1).payload
        #expect(throws: MySQLWireError.truncated("parameter count")) {
            _ = try MySQLPrepareOK(parsing: prepare.getSlice(at: 0, length: 8)!)
        }
        let handshake = Fixtures.mariaDBHandshake
        #expect(throws: MySQLWireError.self) {
            _ = try MySQLHandshakeV10(parsing: handshake.getSlice(at: 0, length: 40)!)
        }
        var lying = ByteBuffer(bytes: [0x00])
        lying.writeMySQLInteger(UInt32(1))
        #expect(throws: MySQLWireError.truncated("column count")) { _ = try MySQLPrepareOK(parsing: lying) }
    }

    @Test("bytes after the last field are refused where the message has a fixed end")
    func trailingBytes() {
        for command: MySQLCommand in [.ping, .quit, .statementClose(1), .statementFetch(statementID: 1, rows: 1)] {
            var bytes = command.payload
            bytes.writeInteger(UInt8(0))
            #expect(throws: MySQLWireError.self) { _ = try MySQLCommand(parsing: bytes) }
        }
        var prepare = MySQLPrepareOK(statementID: 1, columnCount: 1, paramCount: 1).payload
        prepare.writeInteger(UInt8(1))
        #expect(throws: MySQLWireError.self) { _ = try MySQLPrepareOK(parsing: prepare) }
        var row = MySQLTextRow(values: [ByteBuffer(string: "a")]).payload
        row.writeInteger(UInt8(0x41))
        #expect(throws: MySQLWireError.self) { _ = try MySQLTextRow(parsing: row, columnCount: 1) }
    }

    @Test("a column definition announcing another fixed-field length is refused")
    func columnFixedLength() {
        var bytes = ByteBuffer()
        for _ in 0..<6 { bytes.writeMySQLLengthEncodedString("x") }
        bytes.writeMySQLLengthEncodedInteger(0x0D)
        bytes.writeRepeatingByte(0, count: 13)
        #expect(throws: MySQLWireError.self) { _ = try MySQLColumnDefinition41(parsing: bytes) }
    }

    @Test("seeded random bytes")
    func randomBytes() {
        var random = MySQLSeededGenerator(seed: 0x5EED_3301)
        var accepted = 0
        for _ in 0..<5000 {
            let count = Int.random(in: 0...64, using: &random)
            let bytes = ByteBuffer(bytes: (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) })
            accepted += Self.parseAll(bytes)
        }
        // Some random inputs are valid commands or EOF-terminated messages; most are refused.
        #expect(accepted > 100 && accepted < 5000 * Self.parsers.count / 2)
    }

    @Test("seeded mutations of valid messages, and of framed streams")
    func mutations() throws {
        var random = MySQLSeededGenerator(seed: 0x5EED_3302)
        var accepted = 0
        var framed = 0
        for _ in 0..<6000 {
            var bytes = Array(Self.valid.randomElement(using: &random)!.readableBytesView)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                guard !bytes.isEmpty else { break }
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[index] = .random(in: 0...255, using: &random)
                case 1: bytes.remove(at: index)
                case 2: bytes.insert(.random(in: 0...255, using: &random), at: index)
                default: bytes[index] = [0x00, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF].randomElement(using: &random)!
                }
            }
            accepted += Self.parseAll(ByteBuffer(bytes: bytes))
            // The mutated bytes framed after a valid packet, then one framing byte corrupted: the decoder returns
            // packets, waits, or throws.
            var stream = ByteBuffer()
            MySQLPacketEncoder.write(MySQLPacket(sequenceID: 0, payload: Self.valid[0]), into: &stream)
            MySQLPacketEncoder.write(MySQLPacket(sequenceID: 1, payload: ByteBuffer(bytes: bytes)), into: &stream)
            if Bool.random(using: &random) {
                let header = Self.valid[0].readableBytes + 4 + Int.random(in: 0..<4, using: &random)
                stream.setInteger(UInt8.random(in: 0...255, using: &random), at: header)
            }
            var decoder = MySQLPacketDecoder(maximumPacketSize: 1 << 20)
            do {
                while try decoder.decode(buffer: &stream) != nil {
                    framed += 1
                }
            } catch {}
        }
        #expect(accepted > 2000)
        #expect(framed > 8000)
    }

    @Test("a tracker fed random packets only classifies or throws")
    func trackerFuzz() {
        var random = MySQLSeededGenerator(seed: 0x5EED_3303)
        var classified = 0
        for _ in 0..<3000 {
            var tracker = MySQLResponseTracker(
                capabilities: Bool.random(using: &random) ? Fixtures.modern : Fixtures.classic)
            tracker.commandSent(Fixtures.commands.randomElement(using: &random)!)
            for _ in 0..<8 {
                var payload = Self.valid.randomElement(using: &random)!
                if Bool.random(using: &random), payload.readableBytes > 0 {
                    payload.setInteger(UInt8.random(in: 0...255, using: &random), at: 0)
                }
                do {
                    _ = try tracker.received(MySQLPacket(sequenceID: 1, payload: payload))
                    classified += 1
                } catch {
                    break
                }
            }
        }
        #expect(classified > 1000)
    }
}

/// A small deterministic generator (SplitMix64), so a failing input can be reproduced from the seed.
struct MySQLSeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

extension MySQLMalformedInputTests {
    /// Found by the MySQLCodec fuzz target: a COM_INIT_DB naming `s\xFF\xFE` was read as `s\u{FFFD}\u{FFFD}`, so the
    /// broker judged `USE` of a database other than the one the server switched to, and re-encoding changed the
    /// bytes. Names the broker judges must be UTF-8.
    @Test("COM_INIT_DB and COM_FIELD_LIST with names that are not UTF-8 are refused")
    func nonUTF8Names() throws {
        for payload: [UInt8] in [[0x02, 0x73, 0xFF, 0xFE], [0x04, 0x74, 0xC3, 0x00, 0x25], [0x04, 0x74, 0x00, 0xFF]] {
            #expect(throws: MySQLWireError.self) { try MySQLCommand(parsing: ByteBuffer(bytes: payload)) }
        }
        #expect(try MySQLCommand(parsing: ByteBuffer(bytes: [0x02] + Array("café".utf8))) == .initDB("café"))
        #expect(
            try MySQLCommand(parsing: ByteBuffer(bytes: [0x04, 0x74, 0x00, 0x25]))
                == .fieldList(table: "t", wildcard: "%"))
    }
}
