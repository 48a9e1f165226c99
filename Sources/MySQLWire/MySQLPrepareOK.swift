package import NIOCore

/// The first packet of a successful COM_STMT_PREPARE response: the statement's id and how many parameter and column
/// definitions follow.
package struct MySQLPrepareOK: MySQLEncodableMessage, Sendable, Equatable {
    package static let header: UInt8 = 0x00

    package var statementID: UInt32
    package var columnCount: UInt16
    package var paramCount: UInt16
    package var warnings: UInt16

    package init(statementID: UInt32, columnCount: UInt16, paramCount: UInt16, warnings: UInt16 = 0) {
        self.statementID = statementID
        self.columnCount = columnCount
        self.paramCount = paramCount
        self.warnings = warnings
    }

    package init(parsing payload: ByteBuffer) throws(MySQLWireError) {
        var buffer = payload
        let header = try buffer.readMySQLInteger(as: UInt8.self, "prepare OK header")
        guard header == Self.header else { throw .malformed("prepare OK header 0x\(String(header, radix: 16))") }
        statementID = try buffer.readMySQLInteger("statement id")
        columnCount = try buffer.readMySQLInteger("column count")
        paramCount = try buffer.readMySQLInteger("parameter count")
        warnings = 0
        // The filler and warning count are absent in responses of servers older than 4.1.
        if buffer.readableBytes > 0 {
            _ = try buffer.readMySQLInteger(as: UInt8.self, "filler")
            warnings = try buffer.readMySQLInteger("warnings")
        }
        // MySQL 8 with CLIENT_OPTIONAL_RESULTSET_METADATA appends a metadata-follows byte; the broker never asks
        // for it, so a byte here is refused rather than ignored.
        try buffer.expectMySQLEnd("prepare OK")
    }

    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Self.header)
        buffer.writeMySQLInteger(statementID)
        buffer.writeMySQLInteger(columnCount)
        buffer.writeMySQLInteger(paramCount)
        buffer.writeInteger(UInt8(0))
        buffer.writeMySQLInteger(warnings)
    }
}
