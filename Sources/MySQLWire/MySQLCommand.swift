package import NIOCore

/// A client command, the first packet of every exchange after login. Statement texts and data stay bytes (a query
/// need not be UTF-8); commands the broker does not look into are `.other` with their payload, so every command can
/// be re-encoded exactly as it came. COM_QUERY is read without CLIENT_QUERY_ATTRIBUTES (which prefixes the text with
/// attribute counts), a capability the broker must not let a client negotiate.
package enum MySQLCommand: Sendable, Equatable {
    case query(ByteBuffer)
    case initDB(String)
    case ping
    case quit
    case fieldList(table: String, wildcard: String)
    case statementPrepare(ByteBuffer)
    /// `remainder` is everything after the flags: the iteration count and the parameters, which only the
    /// statement's parameter count makes readable (`MySQLExecuteParameters`).
    case statementExecute(statementID: UInt32, flags: UInt8, remainder: ByteBuffer)
    case statementSendLongData(statementID: UInt32, parameter: UInt16, data: ByteBuffer)
    case statementClose(UInt32)
    case statementReset(UInt32)
    case statementFetch(statementID: UInt32, rows: UInt32)
    case resetConnection
    /// The payload after the command byte; `MySQLChangeUser` reads it with the connection's capabilities.
    case changeUser(ByteBuffer)
    case processKill(UInt32)
    case setOption(UInt16)
    case statistics
    case debug
    /// Any other command: its code and the payload after the code byte.
    case other(code: UInt8, payload: ByteBuffer)

    /// COM_STMT_EXECUTE's flag asking for a read-only cursor: rows then come through COM_STMT_FETCH.
    package static let cursorTypeReadOnly: UInt8 = 0x01

    /// The command's text for a query, when it is valid UTF-8 (what the analyser reads); nil for other commands and
    /// for query bytes in another encoding.
    package var text: String? {
        switch self {
        case .query(let bytes), .statementPrepare(let bytes):
            String(validating: bytes.readableBytesView, as: UTF8.self)
        default:
            nil
        }
    }

    /// The command byte.
    package var code: UInt8 {
        switch self {
        case .query: MySQLCommandCode.query.rawValue
        case .initDB: MySQLCommandCode.initDB.rawValue
        case .ping: MySQLCommandCode.ping.rawValue
        case .quit: MySQLCommandCode.quit.rawValue
        case .fieldList: MySQLCommandCode.fieldList.rawValue
        case .statementPrepare: MySQLCommandCode.statementPrepare.rawValue
        case .statementExecute: MySQLCommandCode.statementExecute.rawValue
        case .statementSendLongData: MySQLCommandCode.statementSendLongData.rawValue
        case .statementClose: MySQLCommandCode.statementClose.rawValue
        case .statementReset: MySQLCommandCode.statementReset.rawValue
        case .statementFetch: MySQLCommandCode.statementFetch.rawValue
        case .resetConnection: MySQLCommandCode.resetConnection.rawValue
        case .changeUser: MySQLCommandCode.changeUser.rawValue
        case .processKill: MySQLCommandCode.processKill.rawValue
        case .setOption: MySQLCommandCode.setOption.rawValue
        case .statistics: MySQLCommandCode.statistics.rawValue
        case .debug: MySQLCommandCode.debug.rawValue
        case .other(let code, _): code
        }
    }

    /// Whether the server answers this command at all: COM_QUIT closes the connection, and COM_STMT_CLOSE and
    /// COM_STMT_SEND_LONG_DATA are never answered.
    package var expectsResponse: Bool {
        switch self {
        case .quit, .statementClose, .statementSendLongData: false
        default: true
        }
    }
}
