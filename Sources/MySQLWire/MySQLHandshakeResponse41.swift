package import NIOCore

/// The client's answer to the handshake (Protocol::HandshakeResponse41): who logs in, the first authentication
/// response, and what the client can do. Its layout depends on the client's own capability flags, which it carries.
package struct MySQLHandshakeResponse41: MySQLEncodableMessage, Sendable, Equatable {
    /// One connection attribute; attributes are ordered as sent (clients put `_client_name` first).
    package struct Attribute: Sendable, Hashable {
        package var key: String
        package var value: String

        package init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    package var capabilities: MySQLCapabilities
    package var maxPacketSize: UInt32
    package var characterSet: UInt8
    package var mariaDBCapabilities: MySQLMariaDBCapabilities
    package var username: String
    package var authResponse: [UInt8]
    package var database: String?
    package var authPluginName: String?
    package var attributes: [Attribute]
    /// The zstd level a MySQL 8 client sends with CLIENT_ZSTD_COMPRESSION_ALGORITHM.
    package var zstdCompressionLevel: UInt8?

    package init(
        capabilities: MySQLCapabilities,
        maxPacketSize: UInt32,
        characterSet: UInt8,
        mariaDBCapabilities: MySQLMariaDBCapabilities = [],
        username: String,
        authResponse: [UInt8],
        database: String? = nil,
        authPluginName: String? = nil,
        attributes: [Attribute] = [],
        zstdCompressionLevel: UInt8? = nil
    ) {
        self.capabilities = capabilities
        self.maxPacketSize = maxPacketSize
        self.characterSet = characterSet
        self.mariaDBCapabilities = mariaDBCapabilities
        self.username = username
        self.authResponse = authResponse
        self.database = database
        self.authPluginName = authPluginName
        self.attributes = attributes
        self.zstdCompressionLevel = zstdCompressionLevel
    }

    /// The SSLRequest that precedes this response on a TLS connection: the same first 32 bytes.
    package var sslRequest: MySQLSSLRequest {
        MySQLSSLRequest(
            capabilities: capabilities,
            maxPacketSize: maxPacketSize,
            characterSet: characterSet,
            mariaDBCapabilities: mariaDBCapabilities
        )
    }

    package init(parsing payload: ByteBuffer) throws(MySQLWireError) {
        var buffer = payload
        let fixed = try MySQLSSLRequest(readingFixedPartOf: &buffer)
        capabilities = fixed.capabilities
        maxPacketSize = fixed.maxPacketSize
        characterSet = fixed.characterSet
        mariaDBCapabilities = fixed.mariaDBCapabilities
        guard capabilities.contains(.protocol41) else {
            throw .malformed("handshake response without CLIENT_PROTOCOL_41 (the 3.20 protocol is not supported)")
        }
        username = try buffer.readMySQLNullTerminatedString("username")
        if capabilities.contains(.pluginAuthLenencClientData) {
            authResponse = Array(buffer: try buffer.readMySQLLengthEncodedBytes("auth response"))
        } else if capabilities.contains(.secureConnection) {
            let length = try buffer.readMySQLInteger(as: UInt8.self, "auth response length")
            authResponse = try buffer.readMySQLByteArray(Int(length), "auth response")
        } else {
            authResponse = Array(buffer: try buffer.readMySQLNullTerminatedBytes("auth response"))
        }
        // Clients that set a flag but have nothing for the field end the packet early; that is tolerated.
        database = nil
        if capabilities.contains(.connectWithDB), buffer.readableBytes > 0 {
            database = try buffer.readMySQLNullTerminatedString("database")
        }
        authPluginName = nil
        if capabilities.contains(.pluginAuth), buffer.readableBytes > 0 {
            authPluginName = try buffer.readMySQLNullTerminatedString("auth plugin name")
        }
        attributes = []
        if capabilities.contains(.connectAttrs), buffer.readableBytes > 0 {
            var block = try buffer.readMySQLLengthEncodedBytes("connection attributes")
            while block.readableBytes > 0 {
                let key = try block.readMySQLLengthEncodedString("attribute key")
                let value = try block.readMySQLLengthEncodedString("attribute value")
                attributes.append(Attribute(key: key, value: value))
            }
        }
        zstdCompressionLevel = nil
        if capabilities.contains(.zstdCompressionAlgorithm), buffer.readableBytes > 0 {
            zstdCompressionLevel = try buffer.readMySQLInteger("zstd compression level")
        }
        try buffer.expectMySQLEnd("HandshakeResponse41")
    }

    package func encode(into buffer: inout ByteBuffer) {
        sslRequest.encode(into: &buffer)
        buffer.writeMySQLNullTerminatedString(username)
        if capabilities.contains(.pluginAuthLenencClientData) {
            buffer.writeMySQLLengthEncodedBytes(authResponse)
        } else if capabilities.contains(.secureConnection) {
            let response = authResponse.prefix(255)
            buffer.writeInteger(UInt8(response.count))
            buffer.writeBytes(response)
        } else {
            buffer.writeBytes(authResponse.prefix { $0 != 0 })
            buffer.writeInteger(UInt8(0))
        }
        if capabilities.contains(.connectWithDB) {
            buffer.writeMySQLNullTerminatedString(database ?? "")
        }
        if capabilities.contains(.pluginAuth) {
            buffer.writeMySQLNullTerminatedString(authPluginName ?? "")
        }
        if capabilities.contains(.connectAttrs) {
            var block = ByteBuffer()
            for attribute in attributes {
                block.writeMySQLLengthEncodedString(attribute.key)
                block.writeMySQLLengthEncodedString(attribute.value)
            }
            buffer.writeMySQLLengthEncodedBytes(block)
        }
        if capabilities.contains(.zstdCompressionAlgorithm) {
            buffer.writeInteger(zstdCompressionLevel ?? 3)
        }
    }
}
