import PostgresWire

/// What the server reports about the session (ParameterStatus), checked for settings that would make the broker
/// misread statements: the server's word is the truth, whatever the client asked for and however it asked.
///
/// On a guarded resource a reported client-only encoding ends the connection (fail closed): from then on the
/// server reads bytes as characters the broker's analysis would split differently.
struct PostgresSessionWatch {
    let guarded: Bool
    /// Told every client_encoding the server reports, so the judge knows whether it can read non-ASCII names.
    var encodings: PostgresClientEncodingTracker?

    /// The FATAL message that must end the connection after this report, or nil when the session stays readable.
    func check(name: String, value: String) -> String? {
        guard name.lowercased() == "client_encoding" else { return nil }
        encodings?.reported(value)
        guard guarded, let encoding = PostgresEncoding(named: value), encoding.isClientOnly else {
            return nil
        }
        return "the server now reads this session in \(encoding.rawValue); "
            + PostgresStartupSettings.clientOnlyRefusal(encoding) + ". The broker ends the connection"
    }

    /// The first report in a login's parameters that must end the connection.
    func check(_ parameters: [(name: String, value: String)]) -> String? {
        parameters.lazy.compactMap { check(name: $0.name, value: $0.value) }.first
    }
}

/// Thrown by the result stage when the session watch ends the connection; the client gets `message` as FATAL.
struct PostgresSessionUnreadable: Error {
    let message: String
}
