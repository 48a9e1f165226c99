package import NIOCore

/// One logical MySQL packet: the payload of one or more physical packets, and the sequence id of the first.
///
/// The wire splits a payload of 2^24 - 1 bytes or more into fragments of exactly `maximumFragmentLength` bytes,
/// each with its own header and the next sequence id, ending with a shorter (possibly empty) fragment. Every message
/// of the protocol is defined on the joined payload, so the codec joins and splits and nothing above it sees
/// fragments.
package struct MySQLPacket: Sendable, Equatable {
    /// The largest payload one physical packet carries; a fragment of exactly this length is always continued.
    package static let maximumFragmentLength = 0xFF_FFFF

    package var sequenceID: UInt8
    package var payload: ByteBuffer

    package init(sequenceID: UInt8, payload: ByteBuffer) {
        self.sequenceID = sequenceID
        self.payload = payload
    }

    /// How many physical packets carry this payload: a payload that is an exact multiple of the fragment length
    /// (including one of exactly 2^24 - 1 bytes) needs an empty trailing fragment.
    package var fragmentCount: Int {
        payload.readableBytes / Self.maximumFragmentLength + 1
    }

    /// The sequence id the next packet in this exchange must carry, in either direction.
    package var nextSequenceID: UInt8 {
        sequenceID &+ UInt8(truncatingIfNeeded: fragmentCount)
    }
}
