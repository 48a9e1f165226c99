import MySQLWire

/// What both relay directions of one MySQL connection share: the response tracker (which says what each server
/// packet is), the statements prepared on the connection, whether the client is uploading a LOCAL INFILE, and how
/// far the sequence ids toward the client have moved from the target's. Both channels share one event loop, and
/// this is touched only there.
final class MySQLConversation: @unchecked Sendable {
    /// A prepared statement as the broker knows it.
    struct Statement {
        var sql: String
        /// Prepared under an approval: good for one execution.
        var approvedOnce: Bool
        var executions = 0
        /// The parameter types of the last execute that sent them, which later executes may omit.
        var parameterTypes: [MySQLExecuteParameters.ParameterType]?
        /// Parameters that received COM_STMT_SEND_LONG_DATA since the last execute.
        var longData: Set<Int> = []
    }

    var tracker: MySQLResponseTracker
    let clock = StatementClock()
    /// The prepares forwarded and not yet answered, in order: their text, and whether an approval let them through.
    var preparing: [(sql: String, approvedOnce: Bool)] = []
    var statements: [UInt32: Statement] = [:]
    /// The server asked for a LOCAL INFILE and the client is sending it, until an empty packet.
    var uploadingFile = false
    /// Added to the target's sequence ids toward the client within the current response: a masked row that no
    /// longer fits the same number of 16 MiB fragments, or a packet the broker drops, moves them.
    var sequenceShift: UInt8 = 0

    init(capabilities: MySQLCapabilities) {
        tracker = MySQLResponseTracker(capabilities: capabilities)
    }

    /// A command is on its way to the target.
    func sent(_ command: MySQLCommand, sql: String?, approvedOnce: Bool) {
        tracker.commandSent(command)
        switch command {
        case .statementPrepare:
            preparing.append((sql ?? "", approvedOnce))
        case .statementClose(let id):
            statements[id] = nil
        case .quit, .statementSendLongData:
            return
        default:
            break
        }
        clock.requestSent()
    }

    /// The target answered a prepare: its statement id gets the text it was prepared from.
    func prepared(_ id: UInt32) {
        guard !preparing.isEmpty else { return }
        let prepare = preparing.removeFirst()
        statements[id] = Statement(sql: prepare.sql, approvedOnce: prepare.approvedOnce)
    }

    /// The target refused a prepare.
    func prepareFailed() {
        if !preparing.isEmpty { preparing.removeFirst() }
    }
}
