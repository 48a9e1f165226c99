import Foundation
import HoopCore
import PostgresWire

/// How the PostgreSQL engine refuses a statement without breaking the protocol or the transaction.
///
/// The refused message is replaced by a statement the target itself rejects — a call of a function that cannot
/// exist, whose name carries a random token — and the target's error for it is swapped for the broker's refusal on
/// the way back. The target therefore does what it does for any failed statement: aborts the open transaction,
/// skips the rest of an extended-protocol batch up to Sync, and reports the true transaction state in
/// ReadyForQuery. Client and server never disagree about the session, and nothing refused ever runs.
///
/// Shared by the statement stage (which registers refusals) and the result stage (which swaps the errors); both
/// run on the connection's event loop.
final class PostgresRefusals: @unchecked Sendable {
    /// Refusals whose error has not come back yet. Bounded: a refused statement the target skips (an earlier error
    /// in the same batch) never produces its error, and its entry ages out.
    private var waiting: [(token: String, error: PostgresBackendMessage)] = []
    private let capacity = 64

    /// The message to send the target instead of `message`, registering `error` for the client.
    func substitute(_ message: PostgresFrontendMessage, refusal error: PostgresBackendMessage)
        -> PostgresFrontendMessage
    {
        let token = (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        waiting.append((token, error))
        if waiting.count > capacity { waiting.removeFirst() }
        let probe = "SELECT pg_catalog.hoop_refused_\(token)()"
        switch message {
        case .parse(let parse):
            return .parse(.init(name: parse.name, query: probe, parameterTypeOIDs: []))
        case .bind, .execute, .describe, .close:
            // Inside an extended-protocol batch the probe must be an extended message too: the server answers its
            // error in the refused message's place and skips the rest of the batch up to Sync, as for any error.
            return .parse(.init(name: "", query: probe, parameterTypeOIDs: []))
        default:
            return .query(probe)
        }
    }

    /// The broker's refusal to show instead of the target's error, when the error answers a substitute.
    func replacement(for diagnostic: PostgresBackendMessage.Diagnostic) -> PostgresBackendMessage? {
        guard diagnostic.sqlState == .undefinedFunction, let text = diagnostic.message,
            let index = waiting.firstIndex(where: { text.contains("hoop_refused_\($0.token)") })
        else {
            return nil
        }
        return waiting.remove(at: index).error
    }

    /// An ERROR-severity refusal: SQLSTATE, message, the approval id as detail, and what to do next.
    static func error(sqlState: SQLState, message: String, approval: Int64?, hint: String?) -> PostgresBackendMessage {
        .errorResponse(diagnostic(severity: "ERROR", sqlState: sqlState, message, approval: approval, hint: hint))
    }

    /// A NOTICE the client shows while its statement waits.
    static func notice(sqlState: SQLState, message: String, approval: Int64?, hint: String?) -> PostgresBackendMessage {
        .noticeResponse(diagnostic(severity: "NOTICE", sqlState: sqlState, message, approval: approval, hint: hint))
    }

    private static func diagnostic(
        severity: String, sqlState: SQLState, _ message: String, approval: Int64?, hint: String?
    ) -> PostgresBackendMessage.Diagnostic {
        var fields: [PostgresBackendMessage.Diagnostic.Field] = [
            .init(code: .severity, value: severity),
            .init(code: .severityNonLocalized, value: severity),
            .init(code: .sqlState, value: sqlState.rawValue),
            .init(code: .message, value: message),
        ]
        if let approval { fields.append(.init(code: .detail, value: String(approval))) }
        if let hint { fields.append(.init(code: .hint, value: hint)) }
        return PostgresBackendMessage.Diagnostic(fields: fields)
    }
}
