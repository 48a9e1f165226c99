import NIOConcurrencyHelpers
import PostgresWire

/// Whether the broker can read non-ASCII names in this connection's statements as the server does.
///
/// The broker decodes what the client sends as UTF-8 where the bytes are valid UTF-8, byte by byte otherwise; in a
/// server-safe encoding that never moves a token boundary, but a name such as `café` in LATIN1 is not the name a
/// rule spells. So names are readable only while the server has reported UTF8 (or SQL_ASCII, which a UTF8 server
/// checks as UTF-8) and no statement that may change the encoding has been sent since that report. Shared by the
/// judge (client → target) and the session watch (target → client), possibly from an analysis off the loop.
final class PostgresClientEncodingTracker: Sendable {
    private struct State {
        var reported: PostgresEncoding?
        var changePending = false
    }

    private let state = NIOLockedValueBox(State())

    /// The server reported `client_encoding`; a pending change is settled by it.
    func reported(_ value: String) {
        state.withLockedValue { $0 = State(reported: PostgresEncoding(named: value), changePending: false) }
    }

    /// A statement that may change the encoding went to the server; until it reports, the encoding is unknown.
    func changeSent() {
        state.withLockedValue { $0.changePending = true }
    }

    /// Whether non-ASCII text is read by the broker as the server reads it.
    var namesReadable: Bool {
        state.withLockedValue { !$0.changePending && ($0.reported == .utf8 || $0.reported == .sqlASCII) }
    }
}
