/// One decision in the audit log, and one leaf of its Merkle tree (docs/evidence.md §1, format version 2). `hash` is
/// the leaf hash, `SHA-256(0x00 || canonical JSON of every other field)`; the tree over all leaves, signed in
/// checkpoints and cosigned by witnesses, makes deleting, editing or reordering any event detectable.
package struct AuditEvent: Codable, Sendable, Equatable {
    package static let formatVersion = 2

    package var seq: Int64
    /// RFC 3339 UTC with milliseconds, as text so it hashes exactly as stored.
    package var time: String
    package var actor: String
    package var action: String
    package var resource: String?
    package var session: String?
    package var decision: AuditDecision
    package var details: JSONValue
    /// The leaf hash as hex, as stored; `isIntact` compares it with the content.
    package var hash: String

    package init(
        seq: Int64,
        time: String,
        actor: String,
        action: String,
        resource: String?,
        session: String?,
        decision: AuditDecision,
        details: JSONValue
    ) {
        self.seq = seq
        self.time = time
        self.actor = actor
        self.action = action
        self.resource = resource
        self.session = session
        self.decision = decision
        self.details = details
        self.hash = ""
        self.hash = leafHash.hex
    }

    /// The leaf hash the content gives, whatever `hash` says.
    package var leafHash: TreeHash { TreeHash.leaf(CanonicalJSON.encode(hashedBody)) }

    /// True when the stored hash matches the content (the event was not edited).
    package var isIntact: Bool { leafHash.hex == hash }

    /// The fields the leaf covers, as the canonical JSON object.
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
