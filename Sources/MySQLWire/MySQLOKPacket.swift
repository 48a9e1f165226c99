package import NIOCore

/// A command's success (OK_Packet), and with CLIENT_DEPRECATE_EOF also the end of a result set's rows, where its
/// header is 0xFE instead of 0x00. Its layout depends on PROTOCOL_41, TRANSACTIONS and SESSION_TRACK, so parsing and
/// encoding take the negotiated capabilities.
package struct MySQLOKPacket: Sendable, Equatable {
    package static let header: UInt8 = 0x00
    /// The header of an OK packet that ends rows when CLIENT_DEPRECATE_EOF is on.
    package static let endOfRowsHeader: UInt8 = 0xFE

    package var header: UInt8
    package var affectedRows: UInt64
    package var lastInsertID: UInt64
    package var statusFlags: MySQLServerStatus
    package var warnings: UInt16
    package var info: String
    /// The raw session state change block (present with SERVER_SESSION_STATE_CHANGED), kept for forwarding.
    package var sessionStateChanges: ByteBuffer?
    /// Whether the packet ended before the info field: servers leave it out when it is empty, and encoding does the
    /// same so a forwarded OK stays byte-exact.
    package var omitsInfo: Bool

    package init(
        header: UInt8 = Self.header,
        affectedRows: UInt64 = 0,
        lastInsertID: UInt64 = 0,
        statusFlags: MySQLServerStatus = [],
        warnings: UInt16 = 0,
        info: String = "",
        sessionStateChanges: ByteBuffer? = nil,
        omitsInfo: Bool = false
    ) {
        self.header = header
        self.affectedRows = affectedRows
        self.lastInsertID = lastInsertID
        self.statusFlags = statusFlags
        self.warnings = warnings
        self.info = info
        self.sessionStateChanges = sessionStateChanges
        self.omitsInfo = omitsInfo
    }

    package init(parsing payload: ByteBuffer, capabilities: MySQLCapabilities) throws(MySQLWireError) {
        var buffer = payload
        header = try buffer.readMySQLInteger("OK header")
        guard header == Self.header || header == Self.endOfRowsHeader else {
            throw .malformed("OK packet header 0x\(String(header, radix: 16))")
        }
        affectedRows = try buffer.readMySQLLengthEncodedInteger("affected rows")
        lastInsertID = try buffer.readMySQLLengthEncodedInteger("last insert id")
        statusFlags = []
        warnings = 0
        if capabilities.contains(.protocol41) {
            statusFlags = MySQLServerStatus(rawValue: try buffer.readMySQLInteger("status flags"))
            warnings = try buffer.readMySQLInteger("warnings")
        } else if capabilities.contains(.transactions) {
            statusFlags = MySQLServerStatus(rawValue: try buffer.readMySQLInteger("status flags"))
        }
        sessionStateChanges = nil
        omitsInfo = buffer.readableBytes == 0
        if capabilities.contains(.sessionTrack) {
            info = omitsInfo ? "" : try buffer.readMySQLLengthEncodedString("info")
            if statusFlags.contains(.sessionStateChanged), buffer.readableBytes > 0 {
                sessionStateChanges = try buffer.readMySQLLengthEncodedBytes("session state changes")
            }
            try buffer.expectMySQLEnd("OK packet")
        } else {
            info = buffer.readMySQLRestOfPacketString()
        }
    }

    package func encode(into buffer: inout ByteBuffer, capabilities: MySQLCapabilities) {
        buffer.writeInteger(header)
        buffer.writeMySQLLengthEncodedInteger(affectedRows)
        buffer.writeMySQLLengthEncodedInteger(lastInsertID)
        if capabilities.contains(.protocol41) {
            buffer.writeMySQLInteger(statusFlags.rawValue)
            buffer.writeMySQLInteger(warnings)
        } else if capabilities.contains(.transactions) {
            buffer.writeMySQLInteger(statusFlags.rawValue)
        }
        if capabilities.contains(.sessionTrack) {
            guard !(omitsInfo && info.isEmpty && sessionStateChanges == nil) else { return }
            buffer.writeMySQLLengthEncodedString(info)
            if let sessionStateChanges, statusFlags.contains(.sessionStateChanged) {
                buffer.writeMySQLLengthEncodedBytes(sessionStateChanges)
            }
        } else {
            buffer.writeString(info)
        }
    }

    package func payload(capabilities: MySQLCapabilities) -> ByteBuffer {
        var buffer = ByteBuffer()
        encode(into: &buffer, capabilities: capabilities)
        return buffer
    }
}
