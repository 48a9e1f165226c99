package import NIOCore

/// Writes logical packets as physical ones, splitting a payload of 2^24 - 1 bytes or more into fragments with
/// consecutive sequence ids, and ending an exact multiple with the empty fragment the reader waits for.
package struct MySQLPacketEncoder: MessageToByteEncoder {
    package typealias OutboundIn = MySQLPacket

    package init() {}

    package func encode(data: MySQLPacket, out: inout ByteBuffer) {
        Self.write(data, into: &out)
    }

    /// The same framing without a channel, for tests and for code that assembles several packets in one write.
    package static func write(_ packet: MySQLPacket, into out: inout ByteBuffer) {
        var payload = packet.payload
        var sequenceID = packet.sequenceID
        out.reserveCapacity(minimumWritableBytes: payload.readableBytes + 4 * packet.fragmentCount)
        while true {
            let length = min(payload.readableBytes, MySQLPacket.maximumFragmentLength)
            out.writeMySQLUInt24(UInt32(length))
            out.writeInteger(sequenceID)
            var fragment = payload.readSlice(length: length)!
            out.writeBuffer(&fragment)
            sequenceID &+= 1
            if length < MySQLPacket.maximumFragmentLength { break }
        }
    }
}
