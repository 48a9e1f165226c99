package import NIOCore

/// One row of a text-protocol result set (ProtocolText::ResultsetRow): a length-encoded string per column, or 0xFB
/// for NULL. Values stay bytes: the engine decides which columns are text to read or mask.
package struct MySQLTextRow: MySQLEncodableMessage, Sendable, Equatable {
    package var values: [ByteBuffer?]

    package init(values: [ByteBuffer?]) {
        self.values = values
    }

    package init(parsing payload: ByteBuffer, columnCount: Int) throws(MySQLWireError) {
        var buffer = payload
        var values: [ByteBuffer?] = []
        values.reserveCapacity(columnCount)
        for index in 0..<columnCount {
            if buffer.getInteger(at: buffer.readerIndex) == ByteBuffer.mySQLNullMarker {
                buffer.moveReaderIndex(forwardBy: 1)
                values.append(nil)
            } else {
                values.append(try buffer.readMySQLLengthEncodedBytes("value of column \(index)"))
            }
        }
        try buffer.expectMySQLEnd("text row of \(columnCount) columns")
        self.values = values
    }

    package func encode(into buffer: inout ByteBuffer) {
        for value in values {
            if let value {
                buffer.writeMySQLLengthEncodedBytes(value)
            } else {
                buffer.writeInteger(ByteBuffer.mySQLNullMarker)
            }
        }
    }
}
