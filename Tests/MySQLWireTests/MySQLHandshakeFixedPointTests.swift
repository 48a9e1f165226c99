import NIOCore
import Testing

@testable import MySQLWire

/// A greeting the codec writes reads back as the same greeting and writes out the same bytes again, and a greeting
/// whose nonce the codec could not write back is refused instead of read one way.
@Suite("MySQL greetings as a fixed point of write-read-write")
struct MySQLHandshakeFixedPointTests {
    typealias Fixtures = MySQLWireFixtures

    /// The MySQLCodec fuzz finding (Fuzz/Seeds/MySQLCodec/greeting-not-a-fixed-point): a selector byte, four bytes
    /// of capabilities, then one packet, a greeting without CLIENT_PLUGIN_AUTH whose auth data length says 23. It was
    /// read with a 15-byte second nonce part, written with a length of 0, and read back with 13.
    static let finding = Fixtures.bytes(
        "0101388208600000010a823801000000012d0000000000000000000082081d000000171753454c4545435420440101381100"
            + "fcff0000000000000000000000000000408f8f8f8f8f8fafafafafafafafafafafafafafafafafafafafafafafafafafaf"
            + "afafafafafafafafafaf8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f0a00000000000072646f73050008fffffffffff7ffff6e7578"
    )

    /// Written, read and written again: the same greeting and the same bytes.
    static func expectFixedPoint(_ greeting: MySQLHandshakeV10) throws {
        let written = greeting.payload
        let read = try MySQLHandshakeV10(parsing: written)
        #expect(read.payload == written)
        #expect(try MySQLHandshakeV10(parsing: read.payload) == read)
    }

    @Test("the fuzz finding's greeting, with an auth data length but no CLIENT_PLUGIN_AUTH, is refused")
    func finding() throws {
        var input = Self.finding
        input.moveReaderIndex(forwardBy: 5)
        var decoder = MySQLPacketDecoder(maximumPacketSize: 1 << 16)
        let packet = try #require(try decoder.decode(buffer: &input))
        #expect(packet.sequenceID == 1)
        #expect(throws: MySQLWireError.malformed("auth plugin data length 23 without CLIENT_PLUGIN_AUTH")) {
            _ = try MySQLHandshakeV10(parsing: packet.payload)
        }
        // The same greeting with the length field 0, as the protocol has it, reads a 13-byte second part.
        var zeroed = packet.payload
        zeroed.setInteger(UInt8(0), at: zeroed.readerIndex + 1 + 4 + 4 + 8 + 1 + 2 + 1 + 2 + 2)
        let greeting = try MySQLHandshakeV10(parsing: zeroed)
        #expect(greeting.authPluginData.count == 8 + 12)
        #expect(greeting.authPluginName == nil)
        try Self.expectFixedPoint(greeting)
    }

    @Test("without CLIENT_PLUGIN_AUTH the second nonce part is written as the 13 bytes it is read as")
    func withoutPluginAuth() throws {
        let capabilities: MySQLCapabilities = [.protocol41, .secureConnection]
        for nonceLength in [8, 8 + 5, 8 + 12, 8 + 13] {
            let greeting = MySQLHandshakeV10(
                serverVersion: "5.1.73", connectionID: 7, authPluginData: Array(1...UInt8(nonceLength)),
                capabilities: capabilities, characterSet: 8, statusFlags: .autocommit, authPluginName: nil)
            try Self.expectFixedPoint(greeting)
            // Protocol, "5.1.73" and its NUL, connection id, part 1, filler, capabilities, charset, status, length,
            // reserved, then exactly 13 bytes of part 2.
            #expect(greeting.payload.readableBytes == 1 + 7 + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10 + 13)
            if nonceLength >= 20 {
                #expect(try MySQLHandshakeV10(parsing: greeting.payload) == greeting)
            }
        }
    }

    @Test("a nonce filling the 255 bytes the length field allows is refused without its NUL and kept with it")
    func longestNonce() throws {
        var greeting = Fixtures.handshake
        greeting.authPluginData = (0..<254).map { UInt8($0 % 200 + 1) }
        try Self.expectFixedPoint(greeting)
        #expect(try MySQLHandshakeV10(parsing: greeting.payload).authPluginData == greeting.authPluginData)

        // The same bytes with the NUL after the nonce replaced: a 255-byte nonce the codec would write with 256.
        var unterminated = greeting.payload
        let nul = unterminated.readerIndex + 1 + 7 + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10 + 246
        #expect(unterminated.getInteger(at: nul, as: UInt8.self) == 0)
        unterminated.setInteger(UInt8(0x41), at: nul)
        #expect(throws: MySQLWireError.malformed("auth-plugin-data fills 255 bytes without its NUL")) {
            _ = try MySQLHandshakeV10(parsing: unterminated)
        }
    }
}
