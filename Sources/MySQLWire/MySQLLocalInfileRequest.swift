package import NIOCore

/// The server asking the client to send a file of the client's (LOAD DATA LOCAL INFILE): 0xFB and the file name.
/// A server that is not trustworthy can ask for any file, whatever the query said, which is why the engine polices it.
package struct MySQLLocalInfileRequest: MySQLEncodableMessage, Sendable, Equatable {
    package static let header: UInt8 = 0xFB

    package var filename: String

    package init(filename: String) {
        self.filename = filename
    }

    package init(parsing payload: ByteBuffer) throws(MySQLWireError) {
        var buffer = payload
        let header = try buffer.readMySQLInteger(as: UInt8.self, "LOCAL INFILE header")
        guard header == Self.header else { throw .malformed("LOCAL INFILE header 0x\(String(header, radix: 16))") }
        filename = buffer.readMySQLRestOfPacketString()
    }

    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Self.header)
        buffer.writeString(filename)
    }
}
