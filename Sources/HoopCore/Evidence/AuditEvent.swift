/// One decision in the audit chain (DESIGN.md §4, format version 1). Every field except `prev` and `hash` is covered
/// by `hash`, and `prev` chains it to the event before, so deleting, editing or reordering any event is detectable.
package struct AuditEvent: Codable, Sendable, Equatable, HashLinked {
    package static let formatVersion = 1

    package var seq: Int64
    /// RFC 3339 UTC with milliseconds, as text so it hashes exactly as stored.
    package var time: String
    package var actor: String
    package var action: String
    package var resource: String?
    package var session: String?
    package var decision: AuditDecision
    package var details: JSONValue
    package var prev: String
    package var hash: String

    package init(
        seq: Int64,
        time: String,
        actor: String,
        action: String,
        resource: String?,
        session: String?,
        decision: AuditDecision,
        details: JSONValue,
        prev: String
    ) {
        self.seq = seq
        self.time = time
        self.actor = actor
        self.action = action
        self.resource = resource
        self.session = session
        self.decision = decision
        self.details = details
        self.prev = prev
        self.hash = ""
        self.hash = computeHash()
    }

    package var hashedBody: JSONValue {
        [
            "seq": .int(seq),
            "time": .string(time),
            "actor": .string(actor),
            "action": .string(action),
            "resource": JSONValue(resource),
            "session": JSONValue(session),
            "decision": .string(decision.rawValue),
            "details": details,
        ]
    }
}

/// What the broker decided. `info` marks lifecycle facts that are not decisions (connection closed, config loaded).
package enum AuditDecision: String, Codable, Sendable, Equatable {
    case allow
    case deny
    case error
    case info
}

/// An event before the store assigns its place in the chain.
package struct AuditDraft: Sendable, Equatable {
    package var actor: String
    package var action: AuditAction
    package var resource: String?
    package var session: String?
    package var decision: AuditDecision
    package var details: JSONValue

    package init(
        actor: String,
        action: AuditAction,
        resource: String? = nil,
        session: String? = nil,
        decision: AuditDecision,
        details: JSONValue = [:]
    ) {
        self.actor = actor
        self.action = action
        self.resource = resource
        self.session = session
        self.decision = decision
        self.details = details
    }
}
