import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@testable import MySQLWire

/// The codec's framing: logical packets split into fragments at 2^24 - 1 bytes and joined again, whatever the reads
/// look like, with limits and sequence checks that throw instead of buffering or trusting.
@Suite("MySQL packet framing")
struct MySQLPacketFramingTests {
    private static func packet(_ sequenceID: UInt8, _ bytes: [UInt8]) -> MySQLPacket {
        MySQLPacket(sequenceID: sequenceID, payload: ByteBuffer(bytes: bytes))
    }

    private static func frames(_ packets: [MySQLPacket]) -> ByteBuffer {
        var out = ByteBuffer()
        for packet in packets {
            MySQLPacketEncoder.write(packet, into: &out)
        }
        return out
    }

    @Test("small packets survive every split of the stream")
    func splitsAtEveryOffset() throws {
        let packets = [
            Self.packet(0, [0x03, 0x53, 0x45, 0x4C]), Self.packet(1, []), Self.packet(7, [0xFE, 0, 0, 2, 0]),
        ]
        let stream = Self.frames(packets)
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(stream, packets)],
            decoderFactory: { MySQLPacketDecoder() }
        )
    }

    @Test("a payload of exactly 2^24 - 1 bytes gets an empty trailing fragment and joins back")
    func exactFragmentLength() throws {
        let payload = ByteBuffer(repeating: 0xAB, count: MySQLPacket.maximumFragmentLength)
        let packet = MySQLPacket(sequenceID: 3, payload: payload)
        #expect(packet.fragmentCount == 2)
        #expect(packet.nextSequenceID == 5)
        var stream = Self.frames([packet])
        #expect(stream.readableBytes == MySQLPacket.maximumFragmentLength + 8)
        // The trailing header: length 0, sequence id 4.
        #expect(stream.getBytes(at: stream.writerIndex - 4, length: 4) == [0, 0, 0, 4])
        var decoder = MySQLPacketDecoder()
        #expect(try decoder.decode(buffer: &stream) == packet)
        #expect(stream.readableBytes == 0)
    }

    @Test("a payload over 16 MiB splits into consecutive fragments and joins back")
    func largePayload() throws {
        // Distinct bytes around each fragment boundary show the fragments are joined in order and none is dropped.
        var payload = ByteBuffer(repeating: 0x5A, count: MySQLPacket.maximumFragmentLength * 2 + 1000)
        for boundary in [MySQLPacket.maximumFragmentLength, MySQLPacket.maximumFragmentLength * 2] {
            payload.setBytes([1, 2, 3, 4], at: boundary - 2)
        }
        let packet = MySQLPacket(sequenceID: 255, payload: payload)
        #expect(packet.fragmentCount == 3)
        #expect(packet.nextSequenceID == 2)
        var stream = Self.frames([packet, Self.packet(2, [1, 2, 3])])
        #expect(stream.readableBytes == payload.readableBytes + 12 + 7)
        var decoder = MySQLPacketDecoder()
        let first = try decoder.decode(buffer: &stream)
        #expect(first == packet)
        #expect(try decoder.decode(buffer: &stream) == Self.packet(2, [1, 2, 3]))
    }

    @Test("an incomplete packet waits, and is an error at end of stream")
    func incomplete() throws {
        var stream = Self.frames([Self.packet(0, [1, 2, 3, 4])])
        stream.moveWriterIndex(to: stream.writerIndex - 1)
        var decoder = MySQLPacketDecoder()
        #expect(try decoder.decode(buffer: &stream) == nil)
        #expect(throws: MySQLWireError.incompleteAtEOF(bufferedBytes: 7)) {
            _ = try decoder.decodeLast(buffer: &stream, seenEOF: true)
        }
    }

    @Test("a packet over the limit is refused as soon as its header announces it")
    func tooLarge() throws {
        var stream = ByteBuffer(bytes: [0x01, 0x00, 0x01, 0x00])
        var decoder = MySQLPacketDecoder(maximumPacketSize: 65_536)
        #expect(throws: MySQLWireError.tooLarge(size: 65_537, limit: 65_536)) {
            _ = try decoder.decode(buffer: &stream)
        }
        // Fragments add up: two announced full fragments exceed a 20 MiB limit before any payload arrives.
        var fragments = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0x00])
        fragments.writeRepeatingByte(0, count: MySQLPacket.maximumFragmentLength)
        fragments.writeBytes([0xFF, 0xFF, 0xFF, 0x01])
        var limited = MySQLPacketDecoder(maximumPacketSize: 20 << 20)
        #expect(throws: MySQLWireError.tooLarge(size: MySQLPacket.maximumFragmentLength * 2, limit: 20 << 20)) {
            _ = try limited.decode(buffer: &fragments)
        }
    }

    @Test("a continuation fragment with the wrong sequence id is refused")
    func outOfOrderFragment() throws {
        var stream = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0x05])
        stream.writeRepeatingByte(0, count: MySQLPacket.maximumFragmentLength)
        stream.writeBytes([0x00, 0x00, 0x00, 0x07])
        var decoder = MySQLPacketDecoder()
        #expect(throws: MySQLWireError.outOfOrder(expected: 6, received: 7)) {
            _ = try decoder.decode(buffer: &stream)
        }
    }

    @Test("the channel handlers frame and deframe")
    func throughAChannel() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(MySQLPacketDecoder()),
            MessageToByteHandler(MySQLPacketEncoder()),
        ])
        try channel.writeOutbound(Self.packet(0, [0x0E]))
        let written = try channel.readOutbound(as: ByteBuffer.self)
        #expect(written == ByteBuffer(bytes: [1, 0, 0, 0, 0x0E]))
        try channel.writeInbound(ByteBuffer(bytes: [1, 0, 0, 1, 0x00]))
        #expect(try channel.readInbound(as: MySQLPacket.self) == Self.packet(1, [0x00]))
        _ = try channel.finish()
    }
}
