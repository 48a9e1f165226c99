package import NIOCore

extension MySQLCommand: MySQLEncodableMessage {
    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(code)
        switch self {
        case .query(let bytes), .statementPrepare(let bytes), .changeUser(let bytes), .other(_, let bytes):
            buffer.writeImmutableBuffer(bytes)
        case .initDB(let name):
            buffer.writeString(name)
        case .ping, .quit, .resetConnection, .statistics, .debug:
            break
        case .fieldList(let table, let wildcard):
            buffer.writeMySQLNullTerminatedString(table)
            buffer.writeString(wildcard)
        case .statementExecute(let statementID, let flags, let remainder):
            buffer.writeMySQLInteger(statementID)
            buffer.writeInteger(flags)
            buffer.writeImmutableBuffer(remainder)
        case .statementSendLongData(let statementID, let parameter, let data):
            buffer.writeMySQLInteger(statementID)
            buffer.writeMySQLInteger(parameter)
            buffer.writeImmutableBuffer(data)
        case .statementClose(let statementID), .statementReset(let statementID):
            buffer.writeMySQLInteger(statementID)
        case .statementFetch(let statementID, let rows):
            buffer.writeMySQLInteger(statementID)
            buffer.writeMySQLInteger(rows)
        case .processKill(let id):
            buffer.writeMySQLInteger(id)
        case .setOption(let option):
            buffer.writeMySQLInteger(option)
        }
    }
}
