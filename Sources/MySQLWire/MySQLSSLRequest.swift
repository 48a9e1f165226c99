package import NIOCore

/// The truncated handshake response a client sends to ask for TLS (Protocol::SSLRequest): the first 32 bytes of a
/// HandshakeResponse41 with CLIENT_SSL set. TLS starts right after it; the full response follows inside TLS.
package struct MySQLSSLRequest: MySQLEncodableMessage, Sendable, Equatable {
    package static let length = 32

    package var capabilities: MySQLCapabilities
    package var maxPacketSize: UInt32
    package var characterSet: UInt8
    /// MariaDB's extended capabilities, carried in the last four filler bytes when CLIENT_MYSQL is clear.
    package var mariaDBCapabilities: MySQLMariaDBCapabilities

    package init(
        capabilities: MySQLCapabilities,
        maxPacketSize: UInt32,
        characterSet: UInt8,
        mariaDBCapabilities: MySQLMariaDBCapabilities = []
    ) {
        self.capabilities = capabilities
        self.maxPacketSize = maxPacketSize
        self.characterSet = characterSet
        self.mariaDBCapabilities = mariaDBCapabilities
    }

    /// Whether a client's first packet is an SSLRequest rather than a full handshake response: exactly 32 bytes
    /// with CLIENT_SSL. A full response is always longer (it has at least the username's NUL).
    package static func isSSLRequest(_ payload: ByteBuffer) -> Bool {
        guard payload.readableBytes == length,
            let flags = payload.getInteger(at: payload.readerIndex, endianness: .little, as: UInt32.self)
        else { return false }
        return MySQLCapabilities(rawValue: flags).contains(.ssl)
    }

    package init(parsing payload: ByteBuffer) throws(MySQLWireError) {
        var buffer = payload
        try self.init(readingFixedPartOf: &buffer)
        try buffer.expectMySQLEnd("SSLRequest")
        guard capabilities.contains(.ssl) else { throw .malformed("SSLRequest without CLIENT_SSL") }
    }

    /// Reads the 32 bytes an SSLRequest and a HandshakeResponse41 share.
    init(readingFixedPartOf buffer: inout ByteBuffer) throws(MySQLWireError) {
        capabilities = MySQLCapabilities(rawValue: try buffer.readMySQLInteger("capability flags"))
        maxPacketSize = try buffer.readMySQLInteger("max packet size")
        characterSet = try buffer.readMySQLInteger("character set")
        let filler = try buffer.readMySQLByteArray(23, "filler")
        let raw = filler[19...].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        mariaDBCapabilities = MySQLMariaDBCapabilities(rawValue: capabilities.contains(.clientMySQL) ? 0 : raw)
    }

    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeMySQLInteger(capabilities.rawValue)
        buffer.writeMySQLInteger(maxPacketSize)
        buffer.writeInteger(characterSet)
        buffer.writeBytes([UInt8](repeating: 0, count: 19))
        buffer.writeMySQLInteger(capabilities.contains(.clientMySQL) ? 0 : mariaDBCapabilities.rawValue)
    }
}
