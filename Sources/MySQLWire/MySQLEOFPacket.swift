package import NIOCore

/// The end of column definitions or rows without CLIENT_DEPRECATE_EOF (EOF_Packet): 0xFE, then with PROTOCOL_41 the
/// warning count and status flags. A payload starting with 0xFE is an EOF only when shorter than 9 bytes; a row can
/// start with 0xFE as the prefix of an 8-byte length.
package struct MySQLEOFPacket: Sendable, Equatable {
    package static let header: UInt8 = 0xFE
    /// The longest payload that can be an EOF packet.
    package static let maximumLength = 8

    package var warnings: UInt16
    package var statusFlags: MySQLServerStatus

    package init(warnings: UInt16 = 0, statusFlags: MySQLServerStatus = []) {
        self.warnings = warnings
        self.statusFlags = statusFlags
    }

    /// Whether a payload in a row or definition position is an EOF packet rather than data.
    package static func isEOF(_ payload: ByteBuffer) -> Bool {
        payload.readableBytes <= maximumLength && payload.getInteger(at: payload.readerIndex) == header
    }

    package init(parsing payload: ByteBuffer, capabilities: MySQLCapabilities) throws(MySQLWireError) {
        var buffer = payload
        let header = try buffer.readMySQLInteger(as: UInt8.self, "EOF header")
        guard header == Self.header, payload.readableBytes <= Self.maximumLength else {
            throw .malformed("not an EOF packet")
        }
        warnings = 0
        statusFlags = []
        if capabilities.contains(.protocol41) {
            warnings = try buffer.readMySQLInteger("warnings")
            statusFlags = MySQLServerStatus(rawValue: try buffer.readMySQLInteger("status flags"))
        }
        try buffer.expectMySQLEnd("EOF packet")
    }

    package func encode(into buffer: inout ByteBuffer, capabilities: MySQLCapabilities) {
        buffer.writeInteger(Self.header)
        if capabilities.contains(.protocol41) {
            buffer.writeMySQLInteger(warnings)
            buffer.writeMySQLInteger(statusFlags.rawValue)
        }
    }

    package func payload(capabilities: MySQLCapabilities) -> ByteBuffer {
        var buffer = ByteBuffer()
        encode(into: &buffer, capabilities: capabilities)
        return buffer
    }
}
