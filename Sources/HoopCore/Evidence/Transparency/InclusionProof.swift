import Foundation

/// One audit event proven to be in the log (docs/evidence.md §5): the event, its RFC 6962 audit path and the
/// checkpoint (with any cosignatures) whose root the path leads to. Self-contained, so an auditor can check a
/// single event with nothing but the broker's key and the witnesses' keys.
package struct InclusionProof: Sendable, Equatable {
    package static let format = "hoop-inclusion-proof"
    package static let formatVersion: Int64 = 1

    package var event: AuditEvent
    package var treeSize: Int64
    /// Leaf side first.
    package var path: [TreeHash]
    package var checkpoint: SignedNote

    package init(event: AuditEvent, treeSize: Int64, path: [TreeHash], checkpoint: SignedNote) {
        self.event = event
        self.treeSize = treeSize
        self.path = path
        self.checkpoint = checkpoint
    }

    /// Canonical JSON, one object.
    package var json: [UInt8] {
        CanonicalJSON.encode([
            "format": .string(Self.format), "version": .int(Self.formatVersion),
            "event": event.hashedBody.adding(["hash": .string(event.hash)]), "leaf_index": .int(event.seq - 1),
            "tree_size": .int(treeSize), "path": .array(path.map { .string($0.hex) }),
            "checkpoint": .string(checkpoint.serialized),
        ])
    }

    package init(json: [UInt8]) throws(EvidenceFormatError) {
        let fields = try EvidenceFields(json: json)
        try fields.requireOnly(["format", "version", "event", "leaf_index", "tree_size", "path", "checkpoint"])
        guard try fields.string("format") == Self.format else {
            throw EvidenceFormatError("not an inclusion proof (format is not \(Self.format))")
        }
        let version = try fields.int("version")
        guard version == Self.formatVersion else {
            throw EvidenceFormatError("unsupported inclusion proof version \(version)")
        }
        guard case .object(let members) = try fields.value("event") else {
            throw EvidenceFormatError("field \"event\" is not an object")
        }
        event = try AuditEvent(fields: EvidenceFields(members))
        guard try fields.int("leaf_index") == event.seq - 1 else {
            throw EvidenceFormatError("leaf_index is not the event's seq - 1")
        }
        treeSize = try fields.int("tree_size")
        guard case .array(let hashes) = try fields.value("path") else {
            throw EvidenceFormatError("field \"path\" is not an array")
        }
        path = try hashes.map { value throws(EvidenceFormatError) in
            guard let text = value.stringValue, let hash = TreeHash(hex: text) else {
                throw EvidenceFormatError("a path hash is not 64 lowercase hex digits")
            }
            return hash
        }
        checkpoint = try SignedNote(parsing: try fields.string("checkpoint"))
    }

    /// Checks the proof alone: the event's content against its leaf hash, the path against the checkpoint's root
    /// and size, the checkpoint's signature by `logKey`, and which of `witnessKeys` cosigned it.
    package func verify(logKey: AuditPublicKey, witnessKeys: [NoteVerifierKey]) throws(EvidenceFormatError)
        -> [WitnessCosignature]
    {
        guard event.isIntact else {
            throw EvidenceFormatError("the event's content does not match its leaf hash (edited)")
        }
        let head = try LogCheckpoint(note: checkpoint, logKey: logKey).checkpoint
        guard head.size == treeSize else {
            throw EvidenceFormatError("the proof is for size \(treeSize), the checkpoint is of size \(head.size)")
        }
        guard MerkleProof.root(leaf: event.leafHash, index: event.seq - 1, size: treeSize, path: path) == head.root
        else {
            throw EvidenceFormatError(
                "the audit path does not lead from seq \(event.seq) to the checkpoint's root (not in this log)")
        }
        return try Cosignature.cosigners(of: checkpoint, among: witnessKeys)
    }
}
