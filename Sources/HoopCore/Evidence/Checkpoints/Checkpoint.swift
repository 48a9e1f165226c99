import Crypto

/// The broker's signed word that the audit chain held event `seq` with hash `hash` at `time` (DESIGN.md §4). A chain
/// verified up to a checkpoint cannot have been rewritten without the audit key, and `previous` — the seq of the
/// checkpoint signed before this one — makes a deleted checkpoint as visible as a deleted event.
package struct Checkpoint: Sendable, Equatable {
    package static let formatVersion: Int64 = 1

    package var seq: Int64
    package var hash: String
    /// RFC 3339 UTC (`Timestamp.format`), kept as text so it verifies exactly as signed.
    package var time: String
    /// The seq of the checkpoint before this one, 0 for the broker's first.
    package var previous: Int64
    /// Base64 Ed25519 signature over `statement`.
    package var signature: String

    package init(seq: Int64, hash: String, time: String, previous: Int64, signature: String) {
        self.seq = seq
        self.hash = hash
        self.time = time
        self.previous = previous
        self.signature = signature
    }

    /// Signs the chain head `seq`/`hash` with the audit key in effect. `previous` is the seq of the last checkpoint
    /// the broker signed (0 if none).
    package static func sign(
        seq: Int64,
        hash: String,
        time: String,
        previous: Int64,
        key: any EvidenceSigner
    ) throws -> Checkpoint {
        var checkpoint = Checkpoint(seq: seq, hash: hash, time: time, previous: previous, signature: "")
        checkpoint.signature = try SignedStatement.sign(checkpoint.statement, with: key)
        return checkpoint
    }

    /// What the signature covers.
    package var statement: JSONValue {
        [
            "type": "hoop.checkpoint", "v": .int(Self.formatVersion), "seq": .int(seq), "hash": .string(hash),
            "time": .string(time), "previous_seq": .int(previous),
        ]
    }

    package func verify(publicKey: AuditPublicKey) -> Bool {
        SignedStatement.isValid(signature, over: statement, by: publicKey)
    }
}

// MARK: JSON lines

extension Checkpoint {
    /// One line of `checkpoints.jsonl` (canonical JSON, no newline).
    package var jsonLine: String {
        CanonicalJSON.string([
            "v": .int(Self.formatVersion), "seq": .int(seq), "hash": .string(hash), "time": .string(time),
            "previous_seq": .int(previous), "signature": .string(signature),
        ])
    }

    package init(jsonLine: some Collection<UInt8>) throws(EvidenceFormatError) {
        let fields = try EvidenceFields(json: jsonLine)
        try fields.requireOnly(["v", "seq", "hash", "time", "previous_seq", "signature"])
        try fields.requireVersion(Self.formatVersion)
        self.init(
            seq: try fields.int("seq"),
            hash: try fields.string("hash"),
            time: try fields.string("time"),
            previous: try fields.int("previous_seq"),
            signature: try fields.string("signature")
        )
    }
}
