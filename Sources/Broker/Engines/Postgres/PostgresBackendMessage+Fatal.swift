import PostgresWire

extension PostgresBackendMessage {
    /// A FATAL ErrorResponse from the broker itself: the client shows it, then the connection closes.
    static func fatal(sqlState: SQLState, message: String, hint: String? = nil) -> PostgresBackendMessage {
        var fields: [Diagnostic.Field] = [
            .init(code: .severity, value: "FATAL"),
            .init(code: .severityNonLocalized, value: "FATAL"),
            .init(code: .sqlState, value: sqlState.rawValue),
            .init(code: .message, value: message),
        ]
        if let hint { fields.append(.init(code: .hint, value: hint)) }
        return .errorResponse(Diagnostic(fields: fields))
    }

    /// The session's recording could not be written, so the broker stops relaying rather than go on unrecorded.
    /// The SQLSTATE is PostgreSQL's own `io_error`.
    static func recordingFailed(_ error: RecordingError) -> PostgresBackendMessage {
        fatal(
            sqlState: .ioError,
            message: "the broker cannot write this session's recording, so it stops the session's traffic: "
                + error.reason
        )
    }
}
