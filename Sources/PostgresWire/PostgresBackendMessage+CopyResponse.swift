extension PostgresBackendMessage {
    /// The body of CopyInResponse, CopyOutResponse and CopyBothResponse.
    package struct CopyResponse: Sendable, Hashable {
        /// Text means rows are lines of text; binary means COPY's binary file format.
        package var format: PostgresFormat
        /// One per column; all text when `format` is text.
        package var columnFormats: [PostgresFormat]
    }
}

extension PostgresBackendMessage.CopyResponse {
    package init(from reader: inout PostgresMessageReader) throws(PostgresCodecError) {
        let formatOffset = reader.offset
        // The overall format is one byte, unlike every other format code.
        let overall = try reader.readInteger("overall format", as: Int8.self)
        guard let format = PostgresFormat(rawValue: Int16(overall)) else {
            throw reader.unexpectedValue("overall format", overall, at: formatOffset)
        }
        let columnsOffset = reader.offset
        let columnFormats = try reader.readFormats("column format")
        // Masking decides between a text and a binary COPY stream from these; a contradiction is refused.
        guard format == .binary || columnFormats.allSatisfy({ $0 == .text }) else {
            throw reader.unexpectedValue("column format", "binary in a text COPY", at: columnsOffset)
        }
        self.init(format: format, columnFormats: columnFormats)
    }

    package func write(to writer: inout PostgresMessageWriter) throws(PostgresCodecError) {
        guard format == .binary || columnFormats.allSatisfy({ $0 == .text }) else {
            throw .unexpectedValue(
                field: "column format",
                value: "binary in a text COPY",
                messageType: writer.messageType,
                offset: nil
            )
        }
        writer.writeInteger(Int8(format.rawValue))
        try writer.writeFormats(columnFormats, "column format")
    }
}
