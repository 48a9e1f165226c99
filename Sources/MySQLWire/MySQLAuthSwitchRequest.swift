package import NIOCore

/// The server asking the client to authenticate with another plugin (Protocol::AuthSwitchRequest): 0xFE, the plugin
/// name, and that plugin's data (for the password plugins, a fresh nonce).
package struct MySQLAuthSwitchRequest: MySQLEncodableMessage, Sendable, Equatable {
    package static let header: UInt8 = 0xFE

    package var pluginName: String
    /// The plugin data as sent; password plugins end their nonce with a NUL, which `nonce` drops.
    package var pluginData: [UInt8]

    package init(pluginName: String, pluginData: [UInt8]) {
        self.pluginName = pluginName
        self.pluginData = pluginData
    }

    /// The plugin data without its trailing NUL.
    package var nonce: [UInt8] {
        pluginData.last == 0 ? Array(pluginData.dropLast()) : pluginData
    }

    package init(parsing payload: ByteBuffer) throws(MySQLWireError) {
        var buffer = payload
        let header = try buffer.readMySQLInteger(as: UInt8.self, "auth switch header")
        guard header == Self.header else { throw .malformed("auth switch header 0x\(String(header, radix: 16))") }
        guard buffer.readableBytes > 0 else {
            // The pre-4.1 form, a lone 0xFE, asks for the old (3.23) password hash, which is not supported.
            throw .malformed("old-style auth switch (mysql_old_password) is not supported")
        }
        pluginName = try buffer.readMySQLNullTerminatedString("plugin name")
        pluginData = Array(buffer: buffer)
    }

    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Self.header)
        buffer.writeMySQLNullTerminatedString(pluginName)
        buffer.writeBytes(pluginData)
    }
}
