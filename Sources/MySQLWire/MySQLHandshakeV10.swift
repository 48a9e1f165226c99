package import NIOCore

/// The server's first packet (Protocol::HandshakeV10): its version, the connection id, the authentication nonce,
/// its capabilities and the authentication plugin it proposes.
package struct MySQLHandshakeV10: MySQLEncodableMessage, Sendable, Equatable {
    package var protocolVersion: UInt8
    package var serverVersion: String
    package var connectionID: UInt32
    /// The nonce (scramble): both parts joined, without the NUL the second part ends with; 20 bytes from MySQL and
    /// MariaDB.
    package var authPluginData: [UInt8]
    package var capabilities: MySQLCapabilities
    package var characterSet: UInt8
    package var statusFlags: MySQLServerStatus
    package var authPluginName: String?
    /// The ten reserved bytes after the auth data length, kept as sent; MariaDB puts its extended capabilities in
    /// the last four when `capabilities` lacks CLIENT_MYSQL.
    package var reserved: [UInt8]

    package init(
        protocolVersion: UInt8 = 10,
        serverVersion: String,
        connectionID: UInt32,
        authPluginData: [UInt8],
        capabilities: MySQLCapabilities,
        characterSet: UInt8,
        statusFlags: MySQLServerStatus,
        authPluginName: String?,
        mariaDBCapabilities: MySQLMariaDBCapabilities? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.serverVersion = serverVersion
        self.connectionID = connectionID
        self.authPluginData = authPluginData
        self.capabilities = capabilities
        self.characterSet = characterSet
        self.statusFlags = statusFlags
        self.authPluginName = authPluginName
        var reserved = [UInt8](repeating: 0, count: 10)
        if let raw = mariaDBCapabilities?.rawValue {
            reserved[6...] = [
                UInt8(truncatingIfNeeded: raw), UInt8(truncatingIfNeeded: raw >> 8),
                UInt8(truncatingIfNeeded: raw >> 16), UInt8(truncatingIfNeeded: raw >> 24),
            ]
        }
        self.reserved = reserved
    }

    /// MariaDB's extended capabilities, when the server is a MariaDB that announces them.
    package var mariaDBCapabilities: MySQLMariaDBCapabilities? {
        guard !capabilities.contains(.clientMySQL) else { return nil }
        let raw = reserved[6...].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return MySQLMariaDBCapabilities(rawValue: raw)
    }

    /// Whether the server is MariaDB rather than MySQL (it says so in its version string, which MariaDB before 11
    /// also prefixes with "5.5.5-" for old clients).
    package var isMariaDB: Bool {
        serverVersion.contains("MariaDB")
    }

    package init(parsing payload: ByteBuffer) throws(MySQLWireError) {
        var buffer = payload
        protocolVersion = try buffer.readMySQLInteger("protocol version")
        guard protocolVersion == 10 else {
            throw .malformed("handshake protocol version \(protocolVersion); only 10 is supported")
        }
        serverVersion = try buffer.readMySQLNullTerminatedString("server version")
        connectionID = try buffer.readMySQLInteger("connection id")
        var nonce = try buffer.readMySQLByteArray(8, "auth-plugin-data-part-1")
        _ = try buffer.readMySQLInteger(as: UInt8.self, "filler")
        let lower = try buffer.readMySQLInteger(as: UInt16.self, "capability flags (lower)")
        characterSet = try buffer.readMySQLInteger("character set")
        statusFlags = MySQLServerStatus(rawValue: try buffer.readMySQLInteger("status flags"))
        let upper = try buffer.readMySQLInteger(as: UInt16.self, "capability flags (upper)")
        capabilities = MySQLCapabilities(rawValue: UInt32(upper) << 16 | UInt32(lower))
        let authDataLength = try buffer.readMySQLInteger(as: UInt8.self, "auth plugin data length")
        // Without CLIENT_PLUGIN_AUTH the field is 0 and the second part is 13 bytes whatever it says; a greeting
        // with another length there is refused rather than read one way, as it could mean either.
        guard authDataLength == 0 || capabilities.contains(.pluginAuth) else {
            throw .malformed("auth plugin data length \(authDataLength) without CLIENT_PLUGIN_AUTH")
        }
        reserved = try buffer.readMySQLByteArray(10, "reserved")
        if capabilities.contains(.secureConnection) {
            // The second part is at least 13 bytes and ends with a NUL the nonce does not include.
            let length = max(13, Int(authDataLength) - 8)
            var part2 = try buffer.readMySQLByteArray(length, "auth-plugin-data-part-2")
            if part2.last == 0 {
                part2.removeLast()
            } else if 8 + length == Int(UInt8.max) {
                // With its NUL added when written, this nonce would need a length of 256.
                throw .malformed("auth-plugin-data fills 255 bytes without its NUL")
            }
            nonce += part2
        }
        authPluginData = nonce
        if capabilities.contains(.pluginAuth) {
            // Some servers (MySQL 5.5.7 to 5.5.10) omit the NUL after the plugin name.
            if buffer.readableBytesView.contains(0) {
                authPluginName = try buffer.readMySQLNullTerminatedString("auth plugin name")
            } else {
                authPluginName = buffer.readMySQLRestOfPacketString()
            }
        } else {
            authPluginName = nil
        }
    }

    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(protocolVersion)
        buffer.writeMySQLNullTerminatedString(serverVersion)
        buffer.writeMySQLInteger(connectionID)
        let part1 = authPluginData.prefix(8)
        buffer.writeBytes(part1)
        buffer.writeBytes([UInt8](repeating: 0, count: 8 - part1.count))
        buffer.writeInteger(UInt8(0))
        buffer.writeMySQLInteger(UInt16(truncatingIfNeeded: capabilities.rawValue))
        buffer.writeInteger(characterSet)
        buffer.writeMySQLInteger(statusFlags.rawValue)
        buffer.writeMySQLInteger(UInt16(truncatingIfNeeded: capabilities.rawValue >> 16))
        let part2 = authPluginData.dropFirst(8)
        buffer.writeInteger(capabilities.contains(.pluginAuth) ? UInt8(truncatingIfNeeded: 8 + part2.count + 1) : 0)
        buffer.writeBytes(reserved.prefix(10))
        buffer.writeBytes([UInt8](repeating: 0, count: max(0, 10 - reserved.count)))
        if capabilities.contains(.secureConnection) {
            // The length written above says how long the second part is; without CLIENT_PLUGIN_AUTH it is 0 and
            // the second part is always 13 bytes, so a longer one cannot be written and is cut.
            let length = capabilities.contains(.pluginAuth) ? max(13, part2.count + 1) : 13
            buffer.writeBytes(part2.prefix(length))
            buffer.writeRepeatingByte(0, count: length - min(length, part2.count))
        }
        if capabilities.contains(.pluginAuth) {
            buffer.writeMySQLNullTerminatedString(authPluginName ?? "")
        }
    }
}
