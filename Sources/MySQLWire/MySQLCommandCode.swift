/// The first byte of every client packet after login: which command it is.
package enum MySQLCommandCode: UInt8, Sendable, CaseIterable {
    case sleep = 0x00
    case quit = 0x01
    case initDB = 0x02
    case query = 0x03
    case fieldList = 0x04
    case createDB = 0x05
    case dropDB = 0x06
    case refresh = 0x07
    case shutdown = 0x08
    case statistics = 0x09
    case processInfo = 0x0A
    case connect = 0x0B
    case processKill = 0x0C
    case debug = 0x0D
    case ping = 0x0E
    case time = 0x0F
    case delayedInsert = 0x10
    case changeUser = 0x11
    case binlogDump = 0x12
    case tableDump = 0x13
    case connectOut = 0x14
    case registerReplica = 0x15
    case statementPrepare = 0x16
    case statementExecute = 0x17
    case statementSendLongData = 0x18
    case statementClose = 0x19
    case statementReset = 0x1A
    case setOption = 0x1B
    case statementFetch = 0x1C
    case daemon = 0x1D
    case binlogDumpGTID = 0x1E
    case resetConnection = 0x1F
    case clone = 0x20
    /// MariaDB's array binding of a prepared statement.
    case statementBulkExecute = 0xFA
}
