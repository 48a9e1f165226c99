/// An audit event withheld from a filtered export: only its seq and leaf hash, so the tree still computes across it
/// and an auditor sees that something was left out, and where.
struct RedactedEvent: Sendable, Equatable {
    var seq: Int64
    var hash: String

    init(_ event: AuditEvent) {
        seq = event.seq
        hash = event.hash
    }

    init(fields: EvidenceFields) throws(EvidenceFormatError) {
        try fields.requireOnly(["seq", "hash", "redacted"])
        guard try fields.value("redacted") == .bool(true) else {
            throw EvidenceFormatError("field \"redacted\" is not true")
        }
        seq = try fields.int("seq")
        hash = try fields.string("hash")
    }

    var jsonLine: String {
        CanonicalJSON.string(["seq": .int(seq), "hash": .string(hash), "redacted": true])
    }
}

/// One line of `prefix.jsonl`: a complete subtree standing for leaves the export leaves out.
enum PrefixLine {
    static func line(_ node: NodeID, _ hash: TreeHash) -> String {
        CanonicalJSON.string([
            "level": .int(Int64(node.level)), "index": .int(node.index), "hash": .string(hash.hex),
        ])
    }

    static func parse(_ text: some Collection<UInt8>) throws(EvidenceFormatError) -> (NodeID, TreeHash) {
        let fields = try EvidenceFields(json: text)
        try fields.requireOnly(["level", "index", "hash"])
        let level = try fields.int("level")
        guard level >= 0, level < 63 else { throw EvidenceFormatError("level \(level) is out of range") }
        guard let hash = TreeHash(hex: try fields.string("hash")) else {
            throw EvidenceFormatError("the hash is not 64 lowercase hex digits")
        }
        return (NodeID(level: Int(level), index: try fields.int("index")), hash)
    }
}
