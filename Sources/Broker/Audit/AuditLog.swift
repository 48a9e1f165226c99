public import Foundation
public import HoopCore
public import Logging
import Metrics

/// The only way the broker records a decision. Appends go to the store's hash chain; a failed append is thrown to the
/// caller, which must then refuse the action it was about to take (fail closed) — nothing is allowed unaudited.
public final class AuditLog: Sendable {
    private let store: any Store
    private let logger: Logger
    private let appended = Counter(label: "hoop_audit_events_total")
    private let failures = Counter(label: "hoop_audit_failures_total")

    public init(store: any Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    @discardableResult
    public func record(_ draft: AuditDraft, at time: Date = Date()) async throws(AuditWriteError) -> AuditEvent {
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

    public func events(from seq: Int64 = 1, limit: Int = 10_000) async throws -> [AuditEvent] {
        try await store.auditEvents(from: seq, limit: limit)
    }
}

/// The audit chain could not be extended; whatever the event described must not happen.
public struct AuditWriteError: Error, CustomStringConvertible {
    public var action: String
    public var underlying: String
    public var description: String { "cannot write audit event \(action): \(underlying)" }
}
