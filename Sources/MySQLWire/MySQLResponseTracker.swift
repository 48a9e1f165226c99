import NIOCore

/// Follows the server's side of a connection after login and says what each packet is.
///
/// A MySQL response is not self-describing: 0x00 is an OK at the start of a query's answer and a binary row in the
/// middle of it, 0xFE an EOF or the start of a long row, and the number of definitions and whether EOF packets
/// separate them depend on the command, the prepare response and CLIENT_DEPRECATE_EOF. The engine tells the tracker
/// each command it forwards and each server packet it receives, and reads the classification back. Commands the
/// client sends before the previous answer is complete are queued and answered in order, as the server does.
package struct MySQLResponseTracker: Sendable {
    package let capabilities: MySQLCapabilities
    /// The statements prepared on this connection and not closed, by id.
    package private(set) var statements: [UInt32: MySQLPreparedStatement] = [:]
    /// The columns of the result set being received (or last received).
    package private(set) var currentColumns: [MySQLColumnDefinition41] = []
    /// The status flags of the last OK or EOF.
    package private(set) var statusFlags: MySQLServerStatus = []
    /// The command being answered, nil when idle.
    package private(set) var currentCommand: MySQLCommand?

    private var phase: Phase?
    private var queued: [MySQLCommand] = []
    private var lastPreparedStatementID: UInt32?

    /// MariaDB's statement id meaning "the statement prepared last" (for pipelined prepare and execute).
    package static let lastPreparedStatementAlias: UInt32 = 0xFFFF_FFFF
    /// More columns than any server allows in a result set (MySQL's limit is 4096): a count above it is garbage.
    static let maximumColumnCount = 65_535

    private struct ResultContext: Sendable {
        var binary: Bool
        var statementID: UInt32?
    }

    private enum Phase: Sendable {
        case simple
        case resultStart(ResultContext)
        case columns(ResultContext, expected: Int)
        case columnsEOF(ResultContext)
        case rows(ResultContext)
        case localInfile(ResultContext)
        case prepareStart
        case prepareParameters(UInt32, remaining: Int, columns: Int)
        case prepareParametersEOF(UInt32, columns: Int)
        case prepareColumns(UInt32, remaining: Int)
        case prepareColumnsEOF
        case fetchRows
        case fieldList
        case statistics
        case changeUser
        case passthrough
    }

    package init(capabilities: MySQLCapabilities) {
        self.capabilities = capabilities
    }

    /// Whether every command sent has been answered completely.
    package var isIdle: Bool {
        phase == nil && queued.isEmpty
    }

    private var deprecateEOF: Bool {
        capabilities.contains(.deprecateEOF)
    }

    // MARK: - Commands

    /// Records a command the client sent to the server. Commands without a response take effect at once.
    package mutating func commandSent(_ command: MySQLCommand) {
        switch command {
        case .statementClose(let id):
            statements[resolve(id)] = nil
            return
        case .quit, .statementSendLongData:
            return
        default:
            break
        }
        if phase == nil {
            start(command)
        } else {
            queued.append(command)
        }
    }

    private func resolve(_ statementID: UInt32) -> UInt32 {
        statementID == Self.lastPreparedStatementAlias ? lastPreparedStatementID ?? statementID : statementID
    }

    private mutating func start(_ command: MySQLCommand) {
        currentCommand = command
        switch command {
        case .query:
            phase = .resultStart(ResultContext(binary: false, statementID: nil))
        case .statementExecute(let id, _, _):
            phase = .resultStart(ResultContext(binary: true, statementID: resolve(id)))
        case .statementPrepare:
            phase = .prepareStart
        case .statementFetch(let id, _):
            currentColumns = statements[resolve(id)]?.resultColumns ?? []
            phase = .fetchRows
        case .fieldList:
            currentColumns = []
            phase = .fieldList
        case .statistics:
            phase = .statistics
        case .changeUser:
            phase = .changeUser
        case .ping, .initDB, .resetConnection, .processKill, .setOption, .debug, .statementReset:
            phase = .simple
        case .other:
            phase = .passthrough
        case .quit, .statementClose, .statementSendLongData:
            phase = nil
        }
    }

    private mutating func finish() {
        phase = nil
        currentCommand = nil
        if !queued.isEmpty {
            start(queued.removeFirst())
        }
    }

    // MARK: - Responses

    /// Classifies one packet from the server and advances the state. Throws when the packet cannot be what the
    /// protocol allows at this point; the connection cannot be followed after that and should be closed.
    package mutating func received(_ packet: MySQLPacket) throws(MySQLWireError) -> MySQLServerPacket {
        let payload = packet.payload
        let first = payload.getInteger(at: payload.readerIndex, as: UInt8.self)
        if first == MySQLErrPacket.header {
            // An error ends the whole response in every phase; with nothing pending it is the server announcing
            // why it is closing the connection (an idle timeout, a kill).
            let error = try MySQLErrPacket(parsing: payload)
            if phase != nil { finish() }
            return .error(error)
        }
        guard let phase else {
            throw .unexpectedPacket("a packet arrived while no command was waiting for an answer")
        }
        switch phase {
        case .simple:
            return try simpleResponse(payload)
        case .resultStart(let context):
            return try resultStart(payload, context)
        case .columns(let context, let expected):
            let column = try MySQLColumnDefinition41(parsing: payload)
            currentColumns.append(column)
            if currentColumns.count == expected {
                if deprecateEOF {
                    endOfMetadata(context)
                } else {
                    self.phase = .columnsEOF(context)
                }
            }
            return .columnDefinition(column, index: currentColumns.count - 1)
        case .columnsEOF(let context):
            let eof = try MySQLEOFPacket(parsing: payload, capabilities: capabilities)
            statusFlags = eof.statusFlags
            endOfMetadata(context)
            if context.binary && eof.statusFlags.contains(.cursorExists) {
                // A cursor was opened: no rows follow, the client fetches them.
                finish()
            }
            return .endOfColumns
        case .rows(let context):
            if isEndOfRows(payload) {
                return try endOfRows(payload, moreResultsPhase: .resultStart(context))
            }
            if context.binary {
                return .binaryRow(try MySQLBinaryRow(parsing: payload, columns: currentColumns))
            }
            return .textRow(try MySQLTextRow(parsing: payload, columnCount: currentColumns.count))
        case .localInfile(let context):
            guard first == MySQLOKPacket.header else {
                throw .unexpectedPacket("LOCAL INFILE data must be answered with OK or ERR")
            }
            return try okEndingResult(payload, context)
        case .prepareStart:
            return try prepareStart(payload)
        case .prepareParameters(let id, let remaining, let columns):
            let parameter = try MySQLColumnDefinition41(parsing: payload)
            statements[id, default: MySQLPreparedStatement()].parameters.append(parameter)
            if remaining > 1 {
                self.phase = .prepareParameters(id, remaining: remaining - 1, columns: columns)
            } else if !deprecateEOF {
                self.phase = .prepareParametersEOF(id, columns: columns)
            } else {
                startPreparedColumns(id, columns: columns)
            }
            return .parameterDefinition(parameter)
        case .prepareParametersEOF(let id, let columns):
            _ = try MySQLEOFPacket(parsing: payload, capabilities: capabilities)
            startPreparedColumns(id, columns: columns)
            return .endOfColumns
        case .prepareColumns(let id, let remaining):
            let column = try MySQLColumnDefinition41(parsing: payload)
            statements[id, default: MySQLPreparedStatement()].columns.append(column)
            currentColumns.append(column)
            if remaining > 1 {
                self.phase = .prepareColumns(id, remaining: remaining - 1)
            } else if !deprecateEOF {
                self.phase = .prepareColumnsEOF
            } else {
                finish()
            }
            return .columnDefinition(column, index: currentColumns.count - 1)
        case .prepareColumnsEOF:
            _ = try MySQLEOFPacket(parsing: payload, capabilities: capabilities)
            finish()
            return .endOfColumns
        case .fetchRows:
            if isEndOfRows(payload) {
                return try endOfRows(payload, moreResultsPhase: nil)
            }
            return .binaryRow(try MySQLBinaryRow(parsing: payload, columns: currentColumns))
        case .fieldList:
            if first == MySQLEOFPacket.header {
                try readEndOfRows(payload)
                finish()
                return .endOfColumns
            }
            let column = try MySQLColumnDefinition41(parsing: payload)
            currentColumns.append(column)
            return .columnDefinition(column, index: currentColumns.count - 1)
        case .statistics:
            finish()
            return .statistics(String(buffer: payload))
        case .changeUser:
            guard first == MySQLOKPacket.header else { return .other }
            let ok = try MySQLOKPacket(parsing: payload, capabilities: capabilities)
            statusFlags = ok.statusFlags
            statements = [:]
            finish()
            return .ok(ok)
        case .passthrough:
            guard first == MySQLOKPacket.header,
                let ok = try? MySQLOKPacket(parsing: payload, capabilities: capabilities)
            else { return .other }
            statusFlags = ok.statusFlags
            finish()
            return .ok(ok)
        }
    }

    private mutating func simpleResponse(_ payload: ByteBuffer) throws(MySQLWireError) -> MySQLServerPacket {
        let first = payload.getInteger(at: payload.readerIndex, as: UInt8.self)
        if first == MySQLEOFPacket.header && MySQLEOFPacket.isEOF(payload) && !deprecateEOF {
            // COM_SET_OPTION is answered with an EOF by some servers.
            let eof = try MySQLEOFPacket(parsing: payload, capabilities: capabilities)
            statusFlags = eof.statusFlags
            finish()
            return .endOfRows(statusFlags: eof.statusFlags, warnings: eof.warnings)
        }
        let ok = try MySQLOKPacket(parsing: payload, capabilities: capabilities)
        statusFlags = ok.statusFlags
        if case .resetConnection = currentCommand {
            statements = [:]
        }
        finish()
        return .ok(ok)
    }

    private mutating func resultStart(_ payload: ByteBuffer, _ context: ResultContext) throws(MySQLWireError)
        -> MySQLServerPacket
    {
        var buffer = payload
        switch payload.getInteger(at: payload.readerIndex, as: UInt8.self) {
        case MySQLOKPacket.header:
            return try okEndingResult(payload, context)
        case MySQLLocalInfileRequest.header:
            let request = try MySQLLocalInfileRequest(parsing: payload)
            phase = .localInfile(context)
            return .localInfileRequest(request.filename)
        case nil:
            throw .truncated("result set header")
        default:
            let count = try buffer.readMySQLLengthEncodedInteger("column count")
            try buffer.expectMySQLEnd("column count")
            guard count > 0, count <= Self.maximumColumnCount else {
                throw .malformed("column count \(count)")
            }
            currentColumns = []
            phase = .columns(context, expected: Int(count))
            return .columnCount(Int(count))
        }
    }

    /// An OK where a result set could start: the whole answer of a statement without rows, ending the response
    /// unless more results follow.
    private mutating func okEndingResult(_ payload: ByteBuffer, _ context: ResultContext) throws(MySQLWireError)
        -> MySQLServerPacket
    {
        let ok = try MySQLOKPacket(parsing: payload, capabilities: capabilities)
        statusFlags = ok.statusFlags
        if ok.statusFlags.contains(.moreResultsExist) {
            phase = .resultStart(context)
        } else {
            finish()
        }
        return .ok(ok)
    }

    /// The metadata of a result is complete: rows follow, and an execute's columns become its statement's, which
    /// COM_STMT_FETCH rows will be laid out by.
    private mutating func endOfMetadata(_ context: ResultContext) {
        phase = .rows(context)
        if context.binary, let id = context.statementID {
            statements[id, default: MySQLPreparedStatement()].resultColumns = currentColumns
        }
    }

    private mutating func prepareStart(_ payload: ByteBuffer) throws(MySQLWireError) -> MySQLServerPacket {
        let ok = try MySQLPrepareOK(parsing: payload)
        statements[ok.statementID] = MySQLPreparedStatement()
        lastPreparedStatementID = ok.statementID
        currentColumns = []
        if ok.paramCount > 0 {
            phase = .prepareParameters(ok.statementID, remaining: Int(ok.paramCount), columns: Int(ok.columnCount))
        } else {
            startPreparedColumns(ok.statementID, columns: Int(ok.columnCount))
        }
        return .prepareOK(ok)
    }

    private mutating func startPreparedColumns(_ id: UInt32, columns: Int) {
        if columns > 0 {
            phase = .prepareColumns(id, remaining: columns)
        } else {
            finish()
        }
    }

    /// Whether a packet in a row position ends the rows. Without CLIENT_DEPRECATE_EOF that is an EOF (0xFE, under
    /// 9 bytes); with it an OK with header 0xFE, which can be long (it carries an info string) but never a whole
    /// fragment, while a row that starts with 0xFE (an 8-byte length prefix) is at least 2^24 bytes.
    private func isEndOfRows(_ payload: ByteBuffer) -> Bool {
        guard payload.getInteger(at: payload.readerIndex, as: UInt8.self) == MySQLEOFPacket.header else { return false }
        return deprecateEOF ? payload.readableBytes < MySQLPacket.maximumFragmentLength : MySQLEOFPacket.isEOF(payload)
    }

    @discardableResult
    private mutating func readEndOfRows(_ payload: ByteBuffer) throws(MySQLWireError) -> (MySQLServerStatus, UInt16) {
        if deprecateEOF {
            let ok = try MySQLOKPacket(parsing: payload, capabilities: capabilities)
            statusFlags = ok.statusFlags
            return (ok.statusFlags, ok.warnings)
        }
        let eof = try MySQLEOFPacket(parsing: payload, capabilities: capabilities)
        statusFlags = eof.statusFlags
        return (eof.statusFlags, eof.warnings)
    }

    private mutating func endOfRows(_ payload: ByteBuffer, moreResultsPhase: Phase?) throws(MySQLWireError)
        -> MySQLServerPacket
    {
        let (flags, warnings) = try readEndOfRows(payload)
        if flags.contains(.moreResultsExist), let moreResultsPhase {
            phase = moreResultsPhase
        } else {
            finish()
        }
        return .endOfRows(statusFlags: flags, warnings: warnings)
    }
}
