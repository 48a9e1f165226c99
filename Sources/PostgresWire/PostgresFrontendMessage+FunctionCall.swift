package import NIOCore

extension PostgresFrontendMessage {
    /// FunctionCall: the fast-path interface. Kept structured so policy can at least see which function is called.
    package struct FunctionCall: Sendable, Equatable {
        package var functionOID: UInt32
        /// The none/one/each rule of Bind, over the arguments.
        package var argumentFormats: [PostgresFormat]
        /// nil is SQL NULL.
        package var arguments: [ByteBuffer?]
        package var resultFormat: PostgresFormat
    }
}

extension PostgresFrontendMessage.FunctionCall {
    package init(from reader: inout PostgresMessageReader) throws(PostgresCodecError) {
        functionOID = try reader.readInteger("function OID")
        let formatsOffset = reader.offset
        argumentFormats = try reader.readFormats("argument format")
        arguments = try reader.readValues("argument")
        resultFormat = try reader.readFormat("result format")
        guard PostgresFormat.formats(argumentFormats, fit: arguments.count) else {
            throw reader.unexpectedValue(
                "argument format count",
                "\(argumentFormats.count) for \(arguments.count) arguments",
                at: formatsOffset
            )
        }
    }

    package func write(to writer: inout PostgresMessageWriter) throws(PostgresCodecError) {
        writer.writeInteger(functionOID)
        try writer.writeFormats(argumentFormats, "argument format")
        try writer.writeValues(arguments, "argument")
        writer.writeInteger(resultFormat.rawValue)
    }
}
