package import NIOCore

/// The fields of COM_CHANGE_USER (the payload after its command byte): a new login on the same connection, laid out
/// by the client's capabilities like a handshake response but in its own order.
package struct MySQLChangeUser: Sendable, Equatable {
    package var username: String
    package var authResponse: [UInt8]
    package var database: String
    package var characterSet: UInt16?
    package var authPluginName: String?
    package var attributes: [MySQLHandshakeResponse41.Attribute]

    package init(
        username: String,
        authResponse: [UInt8],
        database: String,
        characterSet: UInt16? = nil,
        authPluginName: String? = nil,
        attributes: [MySQLHandshakeResponse41.Attribute] = []
    ) {
        self.username = username
        self.authResponse = authResponse
        self.database = database
        self.characterSet = characterSet
        self.authPluginName = authPluginName
        self.attributes = attributes
    }

    package init(parsing payload: ByteBuffer, capabilities: MySQLCapabilities) throws(MySQLWireError) {
        var buffer = payload
        username = try buffer.readMySQLNullTerminatedString("username")
        if capabilities.contains(.secureConnection) {
            let length = try buffer.readMySQLInteger(as: UInt8.self, "auth response length")
            authResponse = try buffer.readMySQLByteArray(Int(length), "auth response")
        } else {
            authResponse = Array(buffer: try buffer.readMySQLNullTerminatedBytes("auth response"))
        }
        database = try buffer.readMySQLNullTerminatedString("database")
        characterSet = nil
        authPluginName = nil
        attributes = []
        // The fields after the database are optional: old clients end the packet there.
        guard buffer.readableBytes > 0 else { return }
        characterSet = try buffer.readMySQLInteger("character set")
        if capabilities.contains(.pluginAuth), buffer.readableBytes > 0 {
            authPluginName = try buffer.readMySQLNullTerminatedString("auth plugin name")
        }
        if capabilities.contains(.connectAttrs), buffer.readableBytes > 0 {
            var block = try buffer.readMySQLLengthEncodedBytes("connection attributes")
            while block.readableBytes > 0 {
                let key = try block.readMySQLLengthEncodedString("attribute key")
                let value = try block.readMySQLLengthEncodedString("attribute value")
                attributes.append(MySQLHandshakeResponse41.Attribute(key: key, value: value))
            }
        }
        try buffer.expectMySQLEnd("COM_CHANGE_USER")
    }

    /// The payload after the command byte, for `MySQLCommand.changeUser`.
    package func encode(into buffer: inout ByteBuffer, capabilities: MySQLCapabilities) {
        buffer.writeMySQLNullTerminatedString(username)
        if capabilities.contains(.secureConnection) {
            let response = authResponse.prefix(255)
            buffer.writeInteger(UInt8(response.count))
            buffer.writeBytes(response)
        } else {
            buffer.writeBytes(authResponse.prefix { $0 != 0 })
            buffer.writeInteger(UInt8(0))
        }
        buffer.writeMySQLNullTerminatedString(database)
        guard let characterSet else { return }
        buffer.writeMySQLInteger(characterSet)
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
    }
}
