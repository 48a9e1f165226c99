extension PostgresFrontendMessage {
    /// Parse: prepares a statement, the extended-query path's SQL text.
    package struct Parse: Sendable, Equatable {
        /// Empty for the unnamed statement.
        package var name: String
        package var query: String
        /// Type OIDs the client fixes for the first parameters; 0 leaves one to the server. May be fewer than the
        /// parameters the query uses.
        package var parameterTypeOIDs: [UInt32]

        package init(name: String, query: String, parameterTypeOIDs: [UInt32]) {
            self.name = name
            self.query = query
            self.parameterTypeOIDs = parameterTypeOIDs
        }
    }
}

extension PostgresFrontendMessage.Parse {
    package init(from reader: inout PostgresMessageReader) throws(PostgresCodecError) {
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

    package func write(to writer: inout PostgresMessageWriter) throws(PostgresCodecError) {
        try writer.writeString(name, "statement name")
        try writer.writeString(query, "query")
        try writer.writeCount(parameterTypeOIDs.count, "parameter type")
        for oid in parameterTypeOIDs {
            writer.writeInteger(oid)
        }
    }
}
