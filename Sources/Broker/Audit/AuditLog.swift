package import Foundation
package import HoopCore
package import Logging
import Metrics

/// The only way the broker records a decision. Appends go to the store's transparency log; a failed append is thrown to the
/// caller, which must then refuse the action it was about to take (fail closed) — nothing is allowed unaudited.
package final class AuditLog: Sendable {
    private let store: any Store
    private let logger: Logger
    private let appended = Counter(label: "hoop_audit_events_total")
    private let failures = Counter(label: "hoop_audit_failures_total")

    package init(store: any Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    @discardableResult
    package func record(_ draft: AuditDraft, at time: Date = Date()) async throws(AuditWriteError) -> AuditEvent {
        do {
            let event = try await store.appendAudit(draft, at: time)
            appended.increment()
            logger.info(
                "audit",
                metadata: [
                    "seq": "\(event.seq)", "action": "\(event.action)", "actor": "\(event.actor)",
                    "decision": "\(event.decision.rawValue)", "resource": "\(event.resource ?? "")",
                    "session": "\(event.session ?? "")",
                ]
            )
            return event
        } catch {
            failures.increment()
            logger.critical("audit write failed", metadata: ["action": "\(draft.action)", "error": "\(error)"])
            throw AuditWriteError(action: draft.action.rawValue, underlying: "\(error)")
        }
    }

    package func events(from seq: Int64 = 1, limit: Int = 10_000) async throws -> [AuditEvent] {
        try await store.auditEvents(from: seq, limit: limit)
    }
}

/// The audit log could not be extended; whatever the event described must not happen.
package struct AuditWriteError: Error, CustomStringConvertible {
    package var action: String
    package var underlying: String
    package var description: String { "cannot write audit event \(action): \(underlying)" }
}
