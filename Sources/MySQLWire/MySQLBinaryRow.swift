package import NIOCore

/// One row of a binary-protocol result set (ProtocolBinary::ResultsetRow), what COM_STMT_EXECUTE and COM_STMT_FETCH
/// return: a 0x00 header, a NULL bitmap whose first two bits are unused, then each non-NULL value in its type's
/// layout. Each value is kept as its own bytes (without a length prefix), so the engine can replace a textual one
/// and encode the row again with the same columns.
package struct MySQLBinaryRow: Sendable, Equatable {
    package static let header: UInt8 = 0x00
    /// The binary row's NULL bitmap starts at bit 2.
    static let bitmapOffset = 2

    package var values: [ByteBuffer?]

    package init(values: [ByteBuffer?]) {
        self.values = values
    }

    package init(parsing payload: ByteBuffer, columns: [MySQLColumnDefinition41]) throws(MySQLWireError) {
        var buffer = payload
        let header = try buffer.readMySQLInteger(as: UInt8.self, "binary row header")
        guard header == Self.header else { throw .malformed("binary row header 0x\(String(header, radix: 16))") }
        let bitmap = try MySQLNullBitmap(reading: &buffer, count: columns.count, offset: Self.bitmapOffset)
        var values: [ByteBuffer?] = []
        values.reserveCapacity(columns.count)
        for (index, column) in columns.enumerated() {
            if bitmap.isNull(index) {
                values.append(nil)
            } else {
                values.append(try column.type.readBinaryValue(from: &buffer, "value of column \(index)"))
            }
        }
        try buffer.expectMySQLEnd("binary row of \(columns.count) columns")
        self.values = values
    }

    /// Writes the row for `columns`, which must be the columns it was parsed with (their types give the layouts).
    package func encode(into buffer: inout ByteBuffer, columns: [MySQLColumnDefinition41]) {
        buffer.writeInteger(Self.header)
        MySQLNullBitmap(nulls: values.map { $0 == nil }, offset: Self.bitmapOffset).write(into: &buffer)
        for (value, column) in zip(values, columns) {
            if let value {
                column.type.writeBinaryValue(value, into: &buffer)
            }
        }
    }

    package func payload(columns: [MySQLColumnDefinition41]) -> ByteBuffer {
        var buffer = ByteBuffer()
        encode(into: &buffer, columns: columns)
        return buffer
    }
}

/// The NULL bitmap of binary rows (offset 2) and of an execute's parameters (offset 0).
struct MySQLNullBitmap: Sendable, Equatable {
    private(set) var bytes: [UInt8]
    let offset: Int

    static func length(count: Int, offset: Int) -> Int {
        (count + offset + 7) / 8
    }

    init(reading buffer: inout ByteBuffer, count: Int, offset: Int) throws(MySQLWireError) {
        self.bytes = try buffer.readMySQLByteArray(Self.length(count: count, offset: offset), "NULL bitmap")
        self.offset = offset
    }

    init(nulls: [Bool], offset: Int) {
        self.offset = offset
        bytes = [UInt8](repeating: 0, count: Self.length(count: nulls.count, offset: offset))
        for (index, isNull) in nulls.enumerated() where isNull {
            let bit = index + offset
            bytes[bit / 8] |= 1 << (bit % 8)
        }
    }

    func isNull(_ index: Int) -> Bool {
        let bit = index + offset
        return bytes[bit / 8] & (1 << (bit % 8)) != 0
    }

    func write(into buffer: inout ByteBuffer) {
        buffer.writeBytes(bytes)
    }
}
