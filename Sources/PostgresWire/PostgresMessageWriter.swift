package import NIOCore

/// Writes the fields of one message into the outgoing buffer, refusing anything the peer would read differently.
///
/// A proxy that re-encodes messages must never let a value change the framing: a string with a NUL inside would end
/// early and turn its tail into the next field, and a count beyond 16 bits would wrap. Those are errors here, not
/// silent truncation.
package struct PostgresMessageWriter {
    package let messageType: String
    fileprivate var buffer: ByteBuffer

    /// Appends one framed message to `out`: the type byte (none for startup-phase packets), a length word that counts
    /// itself and the body but not the type byte, then the body `write` produces. Nothing is left in `out` if
    /// `write` fails or the length word would exceed `maximumLength`.
    package static func write(
        type: UInt8?,
        messageType: String,
        maximumLength: Int = Int(Int32.max),
        into out: inout ByteBuffer,
        _ write: (inout PostgresMessageWriter) throws(PostgresCodecError) -> Void
    ) throws(PostgresCodecError) {
        // Borrow `out` rather than copy it, so the body is written in place.
        var writer = PostgresMessageWriter(messageType: messageType, buffer: ByteBuffer())
        swap(&writer.buffer, &out)
        defer { swap(&writer.buffer, &out) }

        let messageStart = writer.buffer.writerIndex
        if let type {
            writer.buffer.writeInteger(type)
        }
        let lengthIndex = writer.buffer.writerIndex
        writer.buffer.writeInteger(Int32(0))
        do {
            try write(&writer)
        } catch {
            writer.buffer.moveWriterIndex(to: messageStart)
            throw error
        }
        let length = writer.buffer.writerIndex - lengthIndex
        guard length <= maximumLength else {
            writer.buffer.moveWriterIndex(to: messageStart)
            throw .lengthExceedsMaximum(length, maximum: maximumLength, messageType: messageType, offset: nil)
        }
        writer.buffer.setInteger(Int32(length), at: lengthIndex)
    }

    /// Writes an unframed body, for bodies carried inside another message (the readings of a 'p' message).
    package static func body(
        messageType: String,
        _ write: (inout PostgresMessageWriter) throws(PostgresCodecError) -> Void
    ) throws(PostgresCodecError) -> ByteBuffer {
        var writer = PostgresMessageWriter(messageType: messageType, buffer: ByteBuffer())
        try write(&writer)
        return writer.buffer
    }

    package mutating func writeInteger<Integer: FixedWidthInteger>(_ value: Integer) {
        buffer.writeInteger(value, endianness: .big)
    }

    /// Writes a NUL-terminated string.
    package mutating func writeString(_ string: String, _ field: String) throws(PostgresCodecError) {
        guard !string.utf8.contains(0) else {
            throw .embeddedNUL(field: field, messageType: messageType)
        }
        buffer.writeBytes(PostgresText.encode(string))
        buffer.writeInteger(UInt8(0))
    }

    /// Writes a string that must not be empty, because an empty one is the terminator of the list it belongs to.
    package mutating func writeListEntry(_ string: String, _ field: String) throws(PostgresCodecError) {
        guard !string.isEmpty else {
            throw .unexpectedValue(
                field: field,
                value: "\"\" (an empty entry would end the list)",
                messageType: messageType,
                offset: nil
            )
        }
        try writeString(string, field)
    }

    /// Writes the count that precedes a list, 16 bits unless the message says otherwise.
    package mutating func writeCount<Count: FixedWidthInteger>(
        _ count: Int,
        _ field: String,
        as type: Count.Type = UInt16.self
    ) throws(PostgresCodecError) {
        guard let wire = Count(exactly: count) else {
            throw .tooManyValues(field: field, count: count, limit: Int(Count.max), messageType: messageType)
        }
        buffer.writeInteger(wire)
    }

    /// Writes an Int32-length-prefixed value, -1 for NULL. Oversized values are caught by the message length check.
    package mutating func writeValue(_ value: ByteBuffer?) {
        guard var value else {
            buffer.writeInteger(Int32(-1))
            return
        }
        buffer.writeInteger(Int32(truncatingIfNeeded: value.readableBytes))
        buffer.writeBuffer(&value)
    }

    package mutating func writeValues(_ values: [ByteBuffer?], _ field: String) throws(PostgresCodecError) {
        try writeCount(values.count, field)
        for value in values {
            writeValue(value)
        }
    }

    package mutating func writeFormats(_ formats: [PostgresFormat], _ field: String) throws(PostgresCodecError) {
        try writeCount(formats.count, field)
        for format in formats {
            buffer.writeInteger(format.rawValue)
        }
    }

    package mutating func writeBytes(_ bytes: ByteBuffer) {
        var bytes = bytes
        buffer.writeBuffer(&bytes)
    }
}
