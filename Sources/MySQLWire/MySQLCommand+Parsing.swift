package import NIOCore

extension MySQLCommand {
    /// Reads a client command. Commands with fixed fields must have exactly those bytes, and the names of
    /// COM_INIT_DB and COM_FIELD_LIST must be UTF-8; anything else throws, so a command the broker inspected is the
    /// command the server will execute.
    package init(parsing payload: ByteBuffer) throws(MySQLWireError) {
        var buffer = payload
        let code = try buffer.readMySQLInteger(as: UInt8.self, "command byte")
        switch MySQLCommandCode(rawValue: code) {
        case .query:
            self = .query(buffer)
        case .initDB:
            self = .initDB(try buffer.readMySQLUTF8Name("database", nullTerminated: false))
        case .ping:
            try buffer.expectMySQLEnd("COM_PING")
            self = .ping
        case .quit:
            try buffer.expectMySQLEnd("COM_QUIT")
            self = .quit
        case .fieldList:
            let table = try buffer.readMySQLUTF8Name("table", nullTerminated: true)
            self = .fieldList(table: table, wildcard: try buffer.readMySQLUTF8Name("wildcard", nullTerminated: false))
        case .statementPrepare:
            self = .statementPrepare(buffer)
        case .statementExecute:
            let statementID = try buffer.readMySQLInteger(as: UInt32.self, "statement id")
            let flags = try buffer.readMySQLInteger(as: UInt8.self, "flags")
            self = .statementExecute(statementID: statementID, flags: flags, remainder: buffer)
        case .statementSendLongData:
            let statementID = try buffer.readMySQLInteger(as: UInt32.self, "statement id")
            let parameter = try buffer.readMySQLInteger(as: UInt16.self, "parameter id")
            self = .statementSendLongData(statementID: statementID, parameter: parameter, data: buffer)
        case .statementClose:
            self = .statementClose(try Self.readStatementID(&buffer, "COM_STMT_CLOSE"))
        case .statementReset:
            self = .statementReset(try Self.readStatementID(&buffer, "COM_STMT_RESET"))
        case .statementFetch:
            let statementID = try buffer.readMySQLInteger(as: UInt32.self, "statement id")
            let rows = try buffer.readMySQLInteger(as: UInt32.self, "number of rows")
            try buffer.expectMySQLEnd("COM_STMT_FETCH")
            self = .statementFetch(statementID: statementID, rows: rows)
        case .resetConnection:
            try buffer.expectMySQLEnd("COM_RESET_CONNECTION")
            self = .resetConnection
        case .changeUser:
            self = .changeUser(buffer)
        case .processKill:
            let id = try buffer.readMySQLInteger(as: UInt32.self, "connection id")
            try buffer.expectMySQLEnd("COM_PROCESS_KILL")
            self = .processKill(id)
        case .setOption:
            let option = try buffer.readMySQLInteger(as: UInt16.self, "option")
            try buffer.expectMySQLEnd("COM_SET_OPTION")
            self = .setOption(option)
        case .statistics:
            try buffer.expectMySQLEnd("COM_STATISTICS")
            self = .statistics
        case .debug:
            try buffer.expectMySQLEnd("COM_DEBUG")
            self = .debug
        default:
            self = .other(code: code, payload: buffer)
        }
    }

    private static func readStatementID(_ buffer: inout ByteBuffer, _ command: String) throws(MySQLWireError)
        -> UInt32
    {
        let statementID = try buffer.readMySQLInteger(as: UInt32.self, "statement id")
        try buffer.expectMySQLEnd(command)
        return statementID
    }
}
