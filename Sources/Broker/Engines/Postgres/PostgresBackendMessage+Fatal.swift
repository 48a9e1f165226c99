import PostgresWire

extension PostgresBackendMessage {
    /// A FATAL ErrorResponse from the broker itself: the client shows it, then the connection closes.
    static func fatal(sqlState: String, message: String) -> PostgresBackendMessage {
        .errorResponse(
            Diagnostic(fields: [
                .init(code: .severity, value: "FATAL"),
                .init(code: .severityNonLocalized, value: "FATAL"),
                .init(code: .sqlState, value: sqlState),
                .init(code: .message, value: message),
            ])
        )
    }
}
