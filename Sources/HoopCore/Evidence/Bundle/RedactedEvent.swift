/// An audit event withheld from a filtered export: only its place in the chain, so the events around it still link
/// and an auditor sees that something was left out, and where.
struct RedactedEvent: Sendable, Equatable {
    var seq: Int64
    var prev: String
    var hash: String

    init(_ event: AuditEvent) {
        seq = event.seq
        prev = event.prev
        hash = event.hash
    }

    init(fields: EvidenceFields) throws(EvidenceFormatError) {
        try fields.requireOnly(["seq", "prev", "hash", "redacted"])
        guard try fields.value("redacted") == .bool(true) else {
            throw EvidenceFormatError("field \"redacted\" is not true")
        }
        seq = try fields.int("seq")
        prev = try fields.string("prev")
        hash = try fields.string("hash")
    }

    var jsonLine: String {
        CanonicalJSON.string(["seq": .int(seq), "prev": .string(prev), "hash": .string(hash), "redacted": true])
    }
}
