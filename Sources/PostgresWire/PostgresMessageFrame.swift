package import NIOCore

/// The type byte of a typed message in one direction, with the name the protocol documentation gives it.
package protocol PostgresMessageTypeByte: RawRepresentable where RawValue == UInt8 {
    var name: String { get }
}

/// The framing every message after the startup phase shares, in both directions: a type byte, then an Int32 length
/// that counts itself and the body but not the type byte.
package enum PostgresMessageFrame {
    /// The largest length word accepted unless configured otherwise: the server's own limit (1 GiB, the most it
    /// will allocate for one message).
    package static let defaultMaximumLength = 1 << 30

    /// Cuts the next whole message out of `buffer`, or returns nil without consuming anything until all of it has
    /// arrived.
    ///
    /// The type byte and the length are checked as soon as the five header bytes are in, so the decoder refuses
    /// garbage before it would buffer a body for it.
    package static func next<MessageType: PostgresMessageTypeByte>(
        from buffer: inout ByteBuffer,
        maximumLength: Int,
        direction: String,
        as: MessageType.Type
    ) throws(PostgresCodecError) -> (type: MessageType, reader: PostgresMessageReader)? {
        guard let (typeByte, length) = buffer.peekMultipleIntegers(as: (UInt8, Int32).self) else {
            return nil
        }
        guard let type = MessageType(rawValue: typeByte) else {
            throw .unknownMessageType(typeByte, direction: direction)
        }
        guard length >= 0 else {
            throw .negativeLength(length, messageType: type.name, offset: 1)
        }
        guard length >= 4 else {
            throw .lengthTooShort(Int(length), minimum: 4, messageType: type.name, offset: 1)
        }
        guard length <= maximumLength else {
            throw .lengthExceedsMaximum(Int(length), maximum: maximumLength, messageType: type.name, offset: 1)
        }
        guard buffer.readableBytes >= 1 + Int(length) else {
            return nil
        }
        buffer.moveReaderIndex(forwardBy: 5)
        let body = buffer.readSlice(length: Int(length) - 4)!
        return (type, PostgresMessageReader(body: body, messageType: type.name, headerLength: 5))
    }
}
