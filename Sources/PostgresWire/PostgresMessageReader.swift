package import NIOCore

/// Reads the fields of one message body, which the framing has already cut to the declared length.
///
/// Every read is bounds-checked against that body, never against the connection's buffer, so a field cannot borrow
/// bytes from the next message; and every failure names the message, the field and its offset from the message's
/// first byte.
package struct PostgresMessageReader {
    package let messageType: String
    private var body: ByteBuffer
    /// Bytes of the message before its body (type byte and length word), so offsets count from the message start.
    private let headerLength: Int
    private let bodyStart: Int

    package init(body: ByteBuffer, messageType: String, headerLength: Int) {
        self.body = body
        self.messageType = messageType
        self.headerLength = headerLength
        self.bodyStart = body.readerIndex
    }

    /// Offset of the next unread byte from the start of the message.
    package var offset: Int { headerLength + body.readerIndex - bodyStart }

    package var remainingBytes: Int { body.readableBytes }

    package mutating func readInteger<Integer: FixedWidthInteger>(
        _ field: String,
        as type: Integer.Type = Integer.self
    ) throws(PostgresCodecError) -> Integer {
        guard let value = body.readInteger(endianness: .big, as: Integer.self) else {
            throw .truncatedField(
                field: field,
                needs: MemoryLayout<Integer>.size,
                remaining: body.readableBytes,
                messageType: messageType,
                offset: offset
            )
        }
        return value
    }

    /// Reads the count that precedes a list of items that each take at least `minimumItemLength` bytes.
    ///
    /// Most counts are 16 bits and the server reads them unsigned (a Bind may carry up to 65535 parameters), so this
    /// does too. Checking the count against the bytes left before reading any item means a forged count can neither
    /// overrun the body nor make the caller reserve memory for items that are not there.
    package mutating func readCount<Count: FixedWidthInteger>(
        _ field: String,
        as type: Count.Type = UInt16.self,
        minimumItemLength: Int
    ) throws(PostgresCodecError) -> Int {
        let countOffset = offset
        let wire = try readInteger(field, as: Count.self)
        guard wire >= 0 else {
            throw unexpectedValue("\(field) count", wire, at: countOffset)
        }
        let count = Int(wire)
        guard count * minimumItemLength <= body.readableBytes else {
            throw .countOverrunsBody(
                field: field,
                count: count,
                minimumBytes: count * minimumItemLength,
                remaining: body.readableBytes,
                messageType: messageType,
                offset: countOffset
            )
        }
        return count
    }

    /// Reads a NUL-terminated string, which must be UTF-8: the broker parses SQL and error text as Swift strings, and
    /// a lossy decode would forward different bytes from the ones the client sent.
    package mutating func readString(_ field: String) throws(PostgresCodecError) -> String {
        let start = offset
        guard let length = body.readableBytesView.firstIndex(of: 0).map({ $0 - body.readerIndex }) else {
            throw .missingNULTerminator(field: field, messageType: messageType, offset: start)
        }
        let string = PostgresText.decode(body.readableBytesView.prefix(length))
        body.moveReaderIndex(forwardBy: length + 1)
        return string
    }

    /// Reads an Int32-length-prefixed value, where length -1 means NULL.
    package mutating func readValue(_ field: String) throws(PostgresCodecError) -> ByteBuffer? {
        let start = offset
        let length = try readInteger(field, as: Int32.self)
        if length == -1 {
            return nil
        }
        guard length >= 0 else {
            throw .invalidValueLength(field: field, length: length, messageType: messageType, offset: start)
        }
        guard let value = body.readSlice(length: Int(length)) else {
            throw .valueOverrunsBody(
                field: field,
                length: Int(length),
                remaining: body.readableBytes,
                messageType: messageType,
                offset: start
            )
        }
        return value
    }

    package mutating func readFormat(_ field: String) throws(PostgresCodecError) -> PostgresFormat {
        let start = offset
        let code = try readInteger(field, as: Int16.self)
        guard let format = PostgresFormat(rawValue: code) else {
            throw .unexpectedValue(field: field, value: "\(code)", messageType: messageType, offset: start)
        }
        return format
    }

    package mutating func readFormats(_ field: String) throws(PostgresCodecError) -> [PostgresFormat] {
        let count = try readCount(field, minimumItemLength: 2)
        var formats: [PostgresFormat] = []
        formats.reserveCapacity(count)
        for _ in 0..<count {
            formats.append(try readFormat(field))
        }
        return formats
    }

    package mutating func readValues(_ field: String) throws(PostgresCodecError) -> [ByteBuffer?] {
        let count = try readCount(field, minimumItemLength: 4)
        var values: [ByteBuffer?] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            values.append(try readValue(field))
        }
        return values
    }

    /// Takes everything left: the payload of messages whose body is opaque bytes (CopyData, SASL data).
    package mutating func readRemainingBytes() -> ByteBuffer {
        body.readSlice(length: body.readableBytes)!
    }

    /// A failure for a field read correctly but holding a value outside its domain.
    package func unexpectedValue(_ field: String, _ value: some CustomStringConvertible, at offset: Int)
        -> PostgresCodecError
    {
        .unexpectedValue(field: field, value: value.description, messageType: messageType, offset: offset)
    }

    /// Ends the message: any byte left is an error, because extra bytes are how a forged length smuggles data past a
    /// proxy that checks fields but forwards frames.
    package func finish() throws(PostgresCodecError) {
        guard body.readableBytes == 0 else {
            throw .trailingBytes(body.readableBytes, messageType: messageType, offset: offset)
        }
    }
}
