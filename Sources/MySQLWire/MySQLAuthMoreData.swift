package import NIOCore

/// More data for the authentication plugin in progress (Protocol::AuthMoreData): 0x01 and the plugin's bytes, e.g.
/// caching_sha2_password's fast-auth result or the server's RSA public key.
package struct MySQLAuthMoreData: MySQLEncodableMessage, Sendable, Equatable {
    package static let header: UInt8 = 0x01

    package var data: [UInt8]

    package init(data: [UInt8]) {
        self.data = data
    }

    package init(parsing payload: ByteBuffer) throws(MySQLWireError) {
        var buffer = payload
        let header = try buffer.readMySQLInteger(as: UInt8.self, "auth more data header")
        guard header == Self.header else { throw .malformed("auth more data header 0x\(String(header, radix: 16))") }
        data = Array(buffer: buffer)
    }

    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Self.header)
        buffer.writeBytes(data)
    }
}
