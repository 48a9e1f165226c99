extension PostgresFrontendMessage {
    /// Parse: prepares a statement, the extended-query path's SQL text.
    struct Parse: Sendable, Equatable {
        /// Empty for the unnamed statement.
        var name: String
        var query: String
        /// Type OIDs the client fixes for the first parameters; 0 leaves one to the server. May be fewer than the
        /// parameters the query uses.
        var parameterTypeOIDs: [UInt32]
    }
}

extension PostgresFrontendMessage.Parse {
    init(from reader: inout PostgresMessageReader) throws(PostgresCodecError) {
        name = try reader.readString("statement name")
        query = try reader.readString("query")
        let count = try reader.readCount("parameter type", minimumItemLength: 4)
        var oids: [UInt32] = []
        oids.reserveCapacity(count)
        for _ in 0..<count {
            oids.append(try reader.readInteger("parameter type"))
        }
        parameterTypeOIDs = oids
    }

    func write(to writer: inout PostgresMessageWriter) throws(PostgresCodecError) {
        try writer.writeString(name, "statement name")
        try writer.writeString(query, "query")
        try writer.writeCount(parameterTypeOIDs.count, "parameter type")
        for oid in parameterTypeOIDs {
            writer.writeInteger(oid)
        }
    }
}
