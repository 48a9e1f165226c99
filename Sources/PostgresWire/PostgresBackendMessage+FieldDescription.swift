extension PostgresBackendMessage {
    /// One column of a RowDescription.
    package struct FieldDescription: Sendable, Hashable {
        package var name: String
        /// The table the column comes from, or 0 when it is computed; masking rules by column name use this.
        package var tableOID: UInt32
        /// The column's attribute number in that table, or 0.
        package var columnAttributeNumber: Int16
        package var dataTypeOID: UInt32
        /// pg_type.typlen: negative for variable-width types.
        package var dataTypeSize: Int16
        /// pg_attribute.atttypmod: type-specific, -1 when none.
        package var typeModifier: Int32
        /// Always text in the answer to a Describe of a statement, where no Bind has chosen yet.
        package var format: PostgresFormat
    }
}

extension PostgresBackendMessage.FieldDescription {
    /// The least a field takes on the wire: the name's NUL and six fixed-size fields.
    package static let minimumLength = 1 + 4 + 2 + 4 + 2 + 4 + 2

    package init(from reader: inout PostgresMessageReader) throws(PostgresCodecError) {
        name = try reader.readString("field name")
        tableOID = try reader.readInteger("table OID")
        columnAttributeNumber = try reader.readInteger("column attribute number")
        dataTypeOID = try reader.readInteger("data type OID")
        dataTypeSize = try reader.readInteger("data type size")
        typeModifier = try reader.readInteger("type modifier")
        format = try reader.readFormat("format")
    }

    package func write(to writer: inout PostgresMessageWriter) throws(PostgresCodecError) {
        try writer.writeString(name, "field name")
        writer.writeInteger(tableOID)
        writer.writeInteger(columnAttributeNumber)
        writer.writeInteger(dataTypeOID)
        writer.writeInteger(dataTypeSize)
        writer.writeInteger(typeModifier)
        writer.writeInteger(format.rawValue)
    }
}
