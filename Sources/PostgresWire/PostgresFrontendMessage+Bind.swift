package import NIOCore

extension PostgresFrontendMessage {
    /// Bind: creates a portal from a prepared statement and its parameter values.
    package struct Bind: Sendable, Equatable {
        package var portal: String
        package var statement: String
        /// None (all text), one (for every parameter) or one per parameter; see `parameterFormat(at:)`.
        package var parameterFormats: [PostgresFormat]
        /// nil is SQL NULL.
        package var parameters: [ByteBuffer?]
        /// The same none/one/each rule, over the result columns, whose number only the statement knows.
        package var resultFormats: [PostgresFormat]

        package func parameterFormat(at index: Int) -> PostgresFormat {
            PostgresFormat.of(valueAt: index, formats: parameterFormats)
        }
    }
}

extension PostgresFrontendMessage.Bind {
    package init(from reader: inout PostgresMessageReader) throws(PostgresCodecError) {
        portal = try reader.readString("portal name")
        statement = try reader.readString("statement name")
        let formatsOffset = reader.offset
        parameterFormats = try reader.readFormats("parameter format")
        parameters = try reader.readValues("parameter")
        resultFormats = try reader.readFormats("result format")
        // The server refuses a mismatch too; refusing it here means masking never guesses a parameter's format.
        guard PostgresFormat.formats(parameterFormats, fit: parameters.count) else {
            throw reader.unexpectedValue(
                "parameter format count",
                "\(parameterFormats.count) for \(parameters.count) parameters",
                at: formatsOffset
            )
        }
    }

    package func write(to writer: inout PostgresMessageWriter) throws(PostgresCodecError) {
        try writer.writeString(portal, "portal name")
        try writer.writeString(statement, "statement name")
        try writer.writeFormats(parameterFormats, "parameter format")
        try writer.writeValues(parameters, "parameter")
        try writer.writeFormats(resultFormats, "result format")
    }
}
