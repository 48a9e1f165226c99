import NIOConcurrencyHelpers
import SQLAnalysis

/// What the broker knows of the MySQL session settings that decide how the server lexes a text: `sql_mode`
/// (NO_BACKSLASH_ESCAPES, ANSI_QUOTES) and `character_set_client`.
///
/// The engine feeds it what the server says: the status flags of every OK and EOF (`serverStatus`, which carry
/// NO_BACKSLASH_ESCAPES), the character set of the handshake (`characterSet(id:)`), and session-state tracking of
/// `character_set_client` and `sql_mode` (`characterSetReported`, `sqlModeReported`). The judge tells it when a
/// statement that may change either setting goes to the server (`sqlModeChangeSent`, `characterSetChangeSent`);
/// until the server reports the new value the setting is unknown, and the judge reads texts under both values of
/// each lexical mode and refuses non-ASCII text. A server that does not track `sql_mode` leaves it unknown after
/// a change for the rest of the session, which only makes the judge read both ways. Shared by the judge and the
/// engine's response path, possibly from an analysis off the event loop, hence the lock.
final class MySQLSessionModes: Sendable {
    /// SERVER_STATUS_NO_BACKSLASH_ESCAPES in the status flags of OK and EOF packets.
    static let noBackslashEscapesFlag: UInt16 = 0x0200

    private struct State {
        /// From the last status flags: whether NO_BACKSLASH_ESCAPES is on.
        var noBackslashEscapes: Bool?
        /// From the last `sql_mode` report.
        var reportedModes: MySQLLexicalModes?
        /// A reported `sql_mode` the broker cannot lex (MariaDB ORACLE), which makes every text unreadable.
        var unreadableSQLMode: String?
        /// The client character set as last reported; nil until reported or when the broker cannot read it.
        var characterSet: MySQLCharacterSet?
        /// The name or id of a reported character set the broker cannot read.
        var unreadableCharacterSet: String?
        /// Changes sent and not yet reported back.
        var sqlModeChanges = 0
        var characterSetChanges = 0
    }

    private let state = NIOLockedValueBox(State())

    /// The status flags of an OK or EOF packet (and of the handshake).
    func serverStatus(_ flags: UInt16) {
        state.withLockedValue { $0.noBackslashEscapes = flags & Self.noBackslashEscapesFlag != 0 }
    }

    /// The character set the client chose in the handshake, as its collation id.
    func characterSet(id: UInt8) {
        state.withLockedValue { state in
            state.characterSet = MySQLCharacterSet(collationID: id)
            state.unreadableCharacterSet = state.characterSet == nil ? "collation \(id)" : nil
        }
    }

    /// Session-state tracking reported `character_set_client`; a change in flight is settled by it.
    func characterSetReported(_ name: String) {
        state.withLockedValue { state in
            state.characterSet = MySQLCharacterSet(named: name)
            state.unreadableCharacterSet = state.characterSet == nil ? name : nil
            state.characterSetChanges = max(0, state.characterSetChanges - 1)
        }
    }

    /// Session-state tracking (or a query at connect) reported `sql_mode`; a change in flight is settled by it.
    func sqlModeReported(_ text: String) {
        state.withLockedValue { state in
            state.reportedModes = MySQLLexicalModes(sqlMode: text)
            state.unreadableSQLMode = state.reportedModes == nil ? text : nil
            state.sqlModeChanges = max(0, state.sqlModeChanges - 1)
        }
    }

    /// A statement that may change `sql_mode` (or session tracking) went to the server.
    func sqlModeChangeSent() {
        state.withLockedValue { $0.sqlModeChanges += 1 }
    }

    /// The session was reset (COM_RESET_CONNECTION, or COM_CHANGE_USER which the broker turns into one): its
    /// settings and its session tracking return to the server's defaults, unreported, so both are unknown until the
    /// server reports them again.
    func sessionReset() {
        state.withLockedValue { state in
            state.sqlModeChanges += 1
            state.characterSetChanges += 1
        }
    }

    /// A statement that may change `character_set_client` went to the server.
    func characterSetChangeSent() {
        state.withLockedValue { $0.characterSetChanges += 1 }
    }

    /// The modes to lex the next text with: what the server last said, nothing while a change is in flight.
    var lexicalModes: MySQLLexicalModes {
        state.withLockedValue { state in
            guard state.sqlModeChanges == 0 else { return .unknown }
            return MySQLLexicalModes(
                backslashEscapes: state.noBackslashEscapes.map { !$0 } ?? state.reportedModes?.backslashEscapes,
                ansiQuotes: state.reportedModes?.ansiQuotes)
        }
    }

    /// Why no text can be read as the server reads it now, if that is so.
    var unreadable: String? {
        state.withLockedValue { state in
            guard state.sqlModeChanges == 0, let mode = state.unreadableSQLMode else { return nil }
            return "the session's sql_mode '\(mode)' changes the grammar (or names a mode the broker does not know)"
        }
    }

    /// Whether non-ASCII text is read as the server reads it: the character set is known and none is in flight.
    /// In every set the broker allows, ASCII text lexes the same; non-ASCII names match rules only in UTF-8.
    func nonASCIIReadable(rulesReadNames: Bool) -> Bool {
        state.withLockedValue { state in
            guard state.characterSetChanges == 0, let characterSet = state.characterSet else { return false }
            return characterSet.readsNamesAsUTF8 || !rulesReadNames
        }
    }

    /// The character set the server reported that the broker cannot read, if any.
    var unreadableCharacterSet: String? {
        state.withLockedValue { $0.characterSetChanges == 0 ? $0.unreadableCharacterSet : nil }
    }
}
