package import NIOCore

/// The protocol's basic data types (fixed little-endian integers, length-encoded integers and strings,
/// NUL-terminated strings) read from and written to a payload.
///
/// Every read names the field it is reading so a failure says where the packet went wrong, and every read checks
/// before it consumes: a short or lying packet throws `MySQLWireError` instead of trapping or reading past its end.
extension ByteBuffer {
    /// The first byte of a length-encoded integer that says "NULL" in a row, and is no integer anywhere else.
    package static let mySQLNullMarker: UInt8 = 0xFB

    // MARK: - Reading

    /// A little-endian fixed-width integer.
    package mutating func readMySQLInteger<Integer: FixedWidthInteger>(
        as type: Integer.Type = Integer.self,
        _ field: String
    ) throws(MySQLWireError) -> Integer {
        guard let value = readInteger(endianness: .little, as: Integer.self) else { throw .truncated(field) }
        return value
    }

    /// A three-byte little-endian integer (packet lengths, the `int<3>` of length-encoded integers).
    package mutating func readMySQLUInt24(_ field: String) throws(MySQLWireError) -> UInt32 {
        guard let bytes = readBytes(length: 3) else { throw .truncated(field) }
        return UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16
    }

    /// A length-encoded integer. 0xFB (NULL in rows) and 0xFF (the first byte of an error packet) are not integers
    /// and throw; rows check for NULL before calling this.
    package mutating func readMySQLLengthEncodedInteger(_ field: String) throws(MySQLWireError) -> UInt64 {
        guard let first = readInteger(as: UInt8.self) else { throw .truncated(field) }
        switch first {
        case 0..<0xFB:
            return UInt64(first)
        case 0xFC:
            return UInt64(try readMySQLInteger(as: UInt16.self, field))
        case 0xFD:
            return UInt64(try readMySQLUInt24(field))
        case 0xFE:
            return try readMySQLInteger(as: UInt64.self, field)
        default:
            throw .malformed("\(field) starts with 0x\(String(first, radix: 16)), which no length-encoded integer does")
        }
    }

    /// A length-encoded integer used as a count or length, checked to fit the bytes that can follow it.
    package mutating func readMySQLLength(_ field: String) throws(MySQLWireError) -> Int {
        let length = try readMySQLLengthEncodedInteger(field)
        guard length <= UInt64(readableBytes) else { throw .truncated(field) }
        return Int(length)
    }

    /// The bytes of a length-encoded string, as a slice of this buffer.
    package mutating func readMySQLLengthEncodedBytes(_ field: String) throws(MySQLWireError) -> ByteBuffer {
        let length = try readMySQLLength(field)
        return readSlice(length: length)!
    }

    /// A length-encoded string, decoded as UTF-8 (invalid sequences become U+FFFD).
    package mutating func readMySQLLengthEncodedString(_ field: String) throws(MySQLWireError) -> String {
        let length = try readMySQLLength(field)
        return readString(length: length)!
    }

    /// The bytes up to the next NUL, which is consumed and not returned.
    package mutating func readMySQLNullTerminatedBytes(_ field: String) throws(MySQLWireError) -> ByteBuffer {
        guard let end = readableBytesView.firstIndex(of: 0) else {
            throw .malformed("\(field) has no NUL terminator")
        }
        let bytes = readSlice(length: end - readerIndex)!
        moveReaderIndex(forwardBy: 1)
        return bytes
    }

    /// A NUL-terminated string, decoded as UTF-8.
    package mutating func readMySQLNullTerminatedString(_ field: String) throws(MySQLWireError) -> String {
        String(buffer: try readMySQLNullTerminatedBytes(field))
    }

    /// Exactly `count` bytes, as a slice.
    package mutating func readMySQLBytes(_ count: Int, _ field: String) throws(MySQLWireError) -> ByteBuffer {
        guard let slice = readSlice(length: count) else { throw .truncated(field) }
        return slice
    }

    /// Exactly `count` bytes, as an array.
    package mutating func readMySQLByteArray(_ count: Int, _ field: String) throws(MySQLWireError) -> [UInt8] {
        guard let bytes = readBytes(length: count) else { throw .truncated(field) }
        return bytes
    }

    /// Everything left, as a string: the `string<EOF>` fields that end a packet.
    package mutating func readMySQLRestOfPacketString() -> String {
        readString(length: readableBytes)!
    }

    /// A name the broker judges and the server then reads from the same bytes: refused unless it is UTF-8, since a
    /// lenient decoding would judge U+FFFD where the server reads the original bytes.
    package mutating func readMySQLUTF8Name(_ field: String, nullTerminated: Bool) throws(MySQLWireError) -> String {
        let bytes = nullTerminated ? try readMySQLNullTerminatedBytes(field) : readSlice(length: readableBytes)!
        guard let name = String(validating: bytes.readableBytesView, as: UTF8.self) else {
            throw .malformed("\(field) is not UTF-8")
        }
        return name
    }

    /// Throws unless every byte has been read: a message with bytes after its last field is not the message it
    /// claims to be, and forwarding it would carry bytes nobody inspected.
    package func expectMySQLEnd(_ message: String) throws(MySQLWireError) {
        guard readableBytes == 0 else { throw .malformed("\(readableBytes) bytes follow the last field of \(message)") }
    }

    // MARK: - Writing

    /// A little-endian fixed-width integer.
    package mutating func writeMySQLInteger<Integer: FixedWidthInteger>(_ value: Integer) {
        writeInteger(value, endianness: .little)
    }

    /// A three-byte little-endian integer; the top byte of `value` is ignored.
    package mutating func writeMySQLUInt24(_ value: UInt32) {
        writeInteger(UInt8(truncatingIfNeeded: value))
        writeInteger(UInt8(truncatingIfNeeded: value >> 8))
        writeInteger(UInt8(truncatingIfNeeded: value >> 16))
    }

    /// A length-encoded integer, in its shortest form.
    package mutating func writeMySQLLengthEncodedInteger(_ value: UInt64) {
        switch value {
        case 0..<0xFB:
            writeInteger(UInt8(value))
        case 0xFB...0xFFFF:
            writeInteger(UInt8(0xFC))
            writeMySQLInteger(UInt16(value))
        case 0x1_0000...0xFF_FFFF:
            writeInteger(UInt8(0xFD))
            writeMySQLUInt24(UInt32(value))
        default:
            writeInteger(UInt8(0xFE))
            writeMySQLInteger(value)
        }
    }

    /// A length-encoded string from bytes.
    package mutating func writeMySQLLengthEncodedBytes(_ bytes: ByteBuffer) {
        writeMySQLLengthEncodedInteger(UInt64(bytes.readableBytes))
        writeImmutableBuffer(bytes)
    }

    /// A length-encoded string from bytes.
    package mutating func writeMySQLLengthEncodedBytes(_ bytes: some Collection<UInt8>) {
        writeMySQLLengthEncodedInteger(UInt64(bytes.count))
        writeBytes(bytes)
    }

    /// A length-encoded string from UTF-8 text.
    package mutating func writeMySQLLengthEncodedString(_ string: String) {
        writeMySQLLengthEncodedBytes(string.utf8)
    }

    /// A NUL-terminated string. The text stops at an embedded NUL, which would otherwise end the field early and
    /// make the peer read the rest as the next field; callers that take names from outside refuse such text first.
    package mutating func writeMySQLNullTerminatedString(_ string: String) {
        writeBytes(string.utf8.prefix { $0 != 0 })
        writeInteger(UInt8(0))
    }
}

extension String {
    /// Whether the text can be a NUL-terminated field as it is.
    package var isMySQLNullTerminatable: Bool {
        !utf8.contains(0)
    }
}
