package import NIOCore

/// How a value of each type is laid out in a binary row or an execute's parameters.
extension MySQLColumnType {
    package enum BinaryLayout: Hashable, Sendable {
        /// Exactly this many bytes, little-endian (integers, floats; 0 for NULL).
        case fixed(Int)
        /// A one-byte length, then that many bytes (DATE, DATETIME, TIMESTAMP, TIME: trailing zero parts omitted).
        case shortLengthPrefixed
        /// A length-encoded string (character and binary strings, DECIMAL, JSON, BIT, ENUM, SET, GEOMETRY, and any
        /// type this build does not know, which servers send as strings).
        case lengthEncoded
    }

    package var binaryLayout: BinaryLayout {
        switch self {
        case .null: .fixed(0)
        case .tiny, .bool: .fixed(1)
        case .short, .year: .fixed(2)
        case .long, .int24, .float: .fixed(4)
        case .longLong, .double: .fixed(8)
        case .date, .newDate, .datetime, .datetime2, .timestamp, .timestamp2, .time, .time2: .shortLengthPrefixed
        default: .lengthEncoded
        }
    }

    /// Reads one value: the bytes of the value itself, without its length prefix, so a textual value can be
    /// replaced and re-encoded with `writeBinaryValue`.
    package func readBinaryValue(from buffer: inout ByteBuffer, _ field: String) throws(MySQLWireError) -> ByteBuffer {
        switch binaryLayout {
        case .fixed(let count):
            return try buffer.readMySQLBytes(count, field)
        case .shortLengthPrefixed:
            let length = try buffer.readMySQLInteger(as: UInt8.self, field)
            return try buffer.readMySQLBytes(Int(length), field)
        case .lengthEncoded:
            return try buffer.readMySQLLengthEncodedBytes(field)
        }
    }

    /// Writes one value as `readBinaryValue` read it. A fixed-size value of the wrong size is written as given; the
    /// caller that replaced it owns keeping its layout.
    package func writeBinaryValue(_ value: ByteBuffer, into buffer: inout ByteBuffer) {
        switch binaryLayout {
        case .fixed:
            buffer.writeImmutableBuffer(value)
        case .shortLengthPrefixed:
            buffer.writeInteger(UInt8(truncatingIfNeeded: value.readableBytes))
            buffer.writeImmutableBuffer(value)
        case .lengthEncoded:
            buffer.writeMySQLLengthEncodedBytes(value)
        }
    }
}
