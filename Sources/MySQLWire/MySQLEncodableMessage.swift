package import NIOCore

/// A message whose layout does not depend on the negotiated capabilities, so it can produce its payload alone.
package protocol MySQLEncodableMessage {
    func encode(into buffer: inout ByteBuffer)
}

extension MySQLEncodableMessage {
    /// The message's bytes, ready to be put in a `MySQLPacket`.
    package var payload: ByteBuffer {
        var buffer = ByteBuffer()
        encode(into: &buffer)
        return buffer
    }
}
