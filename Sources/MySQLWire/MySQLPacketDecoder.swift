package import NIOCore

/// Cuts logical packets out of a MySQL byte stream, joining fragments, in either direction.
///
/// The size limit is checked as soon as the fragment headers announce it, so a peer cannot make the broker buffer
/// more than the limit before it is refused. Continuation fragments must carry consecutive sequence ids: a peer
/// that skips one is not speaking the protocol, and forwarding its packets would desynchronise the other side.
///
///     try channel.pipeline.syncOperations.addHandlers([
///         ByteToMessageHandler(MySQLPacketDecoder()),
///         MessageToByteHandler(MySQLPacketEncoder()),
///         engine,
///     ])
package struct MySQLPacketDecoder: NIOSingleStepByteToMessageDecoder {
    package typealias InboundOut = MySQLPacket

    /// The default limit on one logical packet: far above what an interactive client sends, and the server's own
    /// default `max_allowed_packet` (64 MiB since MySQL 8.0 and MariaDB 10.6).
    package static let defaultMaximumPacketSize = 64 << 20

    package let maximumPacketSize: Int

    package init(maximumPacketSize: Int = Self.defaultMaximumPacketSize) {
        self.maximumPacketSize = maximumPacketSize
    }

    package mutating func decode(buffer: inout ByteBuffer) throws(MySQLWireError) -> MySQLPacket? {
        var offset = buffer.readerIndex
        var total = 0
        var fragments: [(start: Int, length: Int)] = []
        var firstSequenceID: UInt8 = 0
        while true {
            guard let header = buffer.getBytes(at: offset, length: 4) else { return nil }
            let length = Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16
            let sequenceID = header[3]
            if fragments.isEmpty {
                firstSequenceID = sequenceID
            } else {
                let expected = firstSequenceID &+ UInt8(truncatingIfNeeded: fragments.count)
                guard sequenceID == expected else { throw .outOfOrder(expected: expected, received: sequenceID) }
            }
            total += length
            guard total <= maximumPacketSize else { throw .tooLarge(size: total, limit: maximumPacketSize) }
            fragments.append((offset + 4, length))
            offset += 4 + length
            guard buffer.writerIndex >= offset else { return nil }
            if length < MySQLPacket.maximumFragmentLength { break }
        }
        let payload: ByteBuffer
        if fragments.count == 1 {
            payload = buffer.getSlice(at: fragments[0].start, length: fragments[0].length)!
        } else {
            var joined = ByteBufferAllocator().buffer(capacity: total)
            for fragment in fragments {
                var slice = buffer.getSlice(at: fragment.start, length: fragment.length)!
                joined.writeBuffer(&slice)
            }
            payload = joined
        }
        buffer.moveReaderIndex(to: offset)
        return MySQLPacket(sequenceID: firstSequenceID, payload: payload)
    }

    package mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws(MySQLWireError) -> MySQLPacket? {
        if let packet = try decode(buffer: &buffer) {
            return packet
        }
        if seenEOF && buffer.readableBytes > 0 {
            throw .incompleteAtEOF(bufferedBytes: buffer.readableBytes)
        }
        return nil
    }
}
