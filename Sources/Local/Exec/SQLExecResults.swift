import NIOCore
import PostgresWire

/// What an exec handler gathers, whatever protocol it speaks: the current statement's columns and rows, every
/// finished statement's result, and the one promise the run waits on. Lives on the channel's event loop.
struct SQLExecResults {
    private let promise: EventLoopPromise<[SQLStatementResult]>
    private var finished: [SQLStatementResult] = []
    private var columns: [String] = []
    private var rows: [[String?]] = []

    init(promise: EventLoopPromise<[SQLStatementResult]>) {
        self.promise = promise
    }

    /// Rows of the statement under way so far.
    var rowCount: Int { rows.count }

    /// A new result set begins, with `columns` (or with none yet, added one by one).
    mutating func beginRows(columns: [String] = []) {
        self.columns = columns
        rows = []
    }

    mutating func addColumn(_ name: String) {
        columns.append(name)
    }

    /// A row of text cells as the server sent them; nil is SQL NULL.
    mutating func addRow(_ cells: [ByteBuffer?]) {
        rows.append(cells.map { $0.map { String(decoding: $0.readableBytesView, as: UTF8.self) } })
    }

    mutating func finishStatement(tag: String?, error: SQLError?) {
        finished.append(SQLStatementResult(columns: columns, rows: rows, tag: tag, error: error))
        columns = []
        rows = []
    }

    /// The run is over: every statement's result goes to the caller.
    func succeed() {
        promise.succeed(finished)
    }

    /// The connection failed rather than a statement.
    func fail(code: SQLState, message: String) {
        promise.fail(ExecFailure(code: code, message: message))
    }
}
