package import NIOCore

/// One column (or parameter) of a result set (Protocol::ColumnDefinition41). Names are what masking rules match
/// and the type decides how binary values are laid out.
///
/// Encoding reproduces the parsed bytes exactly when the names are valid UTF-8 (the broker negotiates utf8mb4, so
/// servers send them so): the fixed-fields length and anything after the fixed fields (COM_FIELD_LIST's default
/// value) are kept as sent.
package struct MySQLColumnDefinition41: MySQLEncodableMessage, Sendable, Equatable {
    /// The length the fixed-length fields announce for themselves.
    package static let fixedFieldsLength: UInt64 = 0x0C

    package var catalog: String
    package var schema: String
    package var table: String
    package var orgTable: String
    package var name: String
    package var orgName: String
    package var characterSet: UInt16
    package var columnLength: UInt32
    package var type: MySQLColumnType
    package var flags: UInt16
    package var decimals: UInt8
    /// The two filler bytes after `decimals`, zero from every known server.
    package var filler: UInt16
    /// What follows the fixed fields, as sent: COM_FIELD_LIST's default value (a length-encoded string), or nothing.
    package var trailer: ByteBuffer

    package init(
        catalog: String = "def",
        schema: String,
        table: String,
        orgTable: String,
        name: String,
        orgName: String,
        characterSet: UInt16,
        columnLength: UInt32,
        type: MySQLColumnType,
        flags: UInt16 = 0,
        decimals: UInt8 = 0
    ) {
        self.catalog = catalog
        self.schema = schema
        self.table = table
        self.orgTable = orgTable
        self.name = name
        self.orgName = orgName
        self.characterSet = characterSet
        self.columnLength = columnLength
        self.type = type
        self.flags = flags
        self.decimals = decimals
        self.filler = 0
        self.trailer = ByteBuffer()
    }

    /// The column flag for UNSIGNED integers.
    package static let unsignedFlag: UInt16 = 0x0020
    /// The column flag for BINARY collations and BLOB data.
    package static let binaryFlag: UInt16 = 0x0080
    /// The character set number of binary data (not text).
    package static let binaryCharacterSet: UInt16 = 63

    package init(parsing payload: ByteBuffer) throws(MySQLWireError) {
        var buffer = payload
        catalog = try buffer.readMySQLLengthEncodedString("catalog")
        schema = try buffer.readMySQLLengthEncodedString("schema")
        table = try buffer.readMySQLLengthEncodedString("table")
        orgTable = try buffer.readMySQLLengthEncodedString("org_table")
        name = try buffer.readMySQLLengthEncodedString("name")
        orgName = try buffer.readMySQLLengthEncodedString("org_name")
        let fixedLength = try buffer.readMySQLLengthEncodedInteger("length of fixed fields")
        guard fixedLength == Self.fixedFieldsLength else {
            throw .malformed("column definition fixed fields length \(fixedLength), expected 12")
        }
        characterSet = try buffer.readMySQLInteger("character set")
        columnLength = try buffer.readMySQLInteger("column length")
        type = MySQLColumnType(try buffer.readMySQLInteger(as: UInt8.self, "column type"))
        flags = try buffer.readMySQLInteger("flags")
        decimals = try buffer.readMySQLInteger("decimals")
        filler = try buffer.readMySQLInteger("filler")
        trailer = buffer
    }

    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeMySQLLengthEncodedString(catalog)
        buffer.writeMySQLLengthEncodedString(schema)
        buffer.writeMySQLLengthEncodedString(table)
        buffer.writeMySQLLengthEncodedString(orgTable)
        buffer.writeMySQLLengthEncodedString(name)
        buffer.writeMySQLLengthEncodedString(orgName)
        buffer.writeMySQLLengthEncodedInteger(Self.fixedFieldsLength)
        buffer.writeMySQLInteger(characterSet)
        buffer.writeMySQLInteger(columnLength)
        buffer.writeInteger(type.rawValue)
        buffer.writeMySQLInteger(flags)
        buffer.writeInteger(decimals)
        buffer.writeMySQLInteger(filler)
        buffer.writeImmutableBuffer(trailer)
    }

    /// Whether the column holds binary data rather than text in a character set.
    package var isBinary: Bool {
        characterSet == Self.binaryCharacterSet
    }
}
