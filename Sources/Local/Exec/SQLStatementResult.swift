package import PostgresWire

/// What one statement of an `exec` returned, in the shape scripts and agents read (`--output json`).
package struct SQLStatementResult: Codable, Sendable, Equatable {
    package var columns: [String]
    /// Text values as PostgreSQL sends them in the simple protocol; nil is SQL NULL.
    package var rows: [[String?]]
    /// The command tag (`SELECT 3`, `INSERT 0 1`); nil when the statement failed.
    package var tag: String?
    package var error: SQLError?

    package init(columns: [String], rows: [[String?]], tag: String?, error: SQLError?) {
        self.columns = columns
        self.rows = rows
        self.tag = tag
        self.error = error
    }
}

/// A statement's error as the server (or the broker) reported it.
package struct SQLError: Codable, Sendable, Equatable {
    /// SQLSTATE, e.g. 42P01; 42501 when the broker's policy blocked the statement.
    package var code: String
    package var message: String
    package var detail: String?

    package init(code: String, message: String, detail: String?) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    package var sqlState: SQLState { SQLState(rawValue: code) }

    /// Whether the statement was not allowed to run: a guardrail blocked it, its approval was denied or expired, or
    /// the target refused the privilege (`hoopctl exec` exits 3 for these).
    package var isDenied: Bool { sqlState == .refusedByBroker }
}

/// The exec connection itself failed (login refused, connection lost) rather than a statement.
struct ExecFailure: Error {
    var code: SQLState
    var message: String
}
