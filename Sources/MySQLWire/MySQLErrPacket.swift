package import NIOCore

/// A command's failure (ERR_Packet): an error code, a SQLSTATE and a message.
package struct MySQLErrPacket: Error, Sendable, Equatable, CustomStringConvertible {
    package static let header: UInt8 = 0xFF
    /// The SQLSTATE of an error that came without one (a server refusing a connection before the handshake).
    package static let defaultSQLState = "HY000"

    package var code: UInt16
    package var sqlState: String
    package var message: String
    /// Whether the packet carries the '#' marker and SQLSTATE; servers leave them out before capabilities are
    /// agreed, and encoding does the same so a forwarded error stays byte-exact.
    package var hasSQLStateMarker: Bool

    package init(code: UInt16, sqlState: String = Self.defaultSQLState, message: String, hasSQLStateMarker: Bool = true)
    {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.hasSQLStateMarker = hasSQLStateMarker
    }

    package init(parsing payload: ByteBuffer) throws(MySQLWireError) {
        var buffer = payload
        let header = try buffer.readMySQLInteger(as: UInt8.self, "ERR header")
        guard header == Self.header else { throw .malformed("ERR packet header 0x\(String(header, radix: 16))") }
        code = try buffer.readMySQLInteger("error code")
        hasSQLStateMarker = buffer.readableBytes >= 6 && buffer.getInteger(at: buffer.readerIndex) == UInt8(ascii: "#")
        if hasSQLStateMarker {
            buffer.moveReaderIndex(forwardBy: 1)
            sqlState = buffer.readString(length: 5)!
        } else {
            sqlState = Self.defaultSQLState
        }
        message = buffer.readMySQLRestOfPacketString()
    }

    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Self.header)
        buffer.writeMySQLInteger(code)
        if hasSQLStateMarker {
            buffer.writeInteger(UInt8(ascii: "#"))
            let state = Array(sqlState.utf8.prefix(5))
            buffer.writeBytes(state + [UInt8](repeating: UInt8(ascii: "0"), count: 5 - state.count))
        }
        buffer.writeString(message)
    }

    package var description: String {
        "ERROR \(code) (\(sqlState)): \(message)"
    }
}

extension MySQLErrPacket: MySQLEncodableMessage {}
