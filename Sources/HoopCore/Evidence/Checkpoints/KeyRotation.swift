import Crypto

/// The audit key changing hands: the old key signs the new public key, so a verifier that trusts the broker's first
/// key can follow every later key without trusting anything else. The rotation is an audit event
/// (`audit.key_rotated`); checkpoints from that event's seq on are signed by the new key.
///
/// The signature cannot cover the event's own seq (the store assigns it on append), so it covers the tree head the
/// broker saw before rotating (`afterSeq` = its size, `afterHash` = its root as hex), which pins the rotation to
/// this log and this point in it.
package struct KeyRotation: Sendable, Equatable {
    package static let formatVersion: Int64 = 1

    /// The seq of the `audit.key_rotated` event; the new key signs checkpoints at this seq and later.
    package var seq: Int64
    package var afterSeq: Int64
    package var afterHash: String
    package var from: AuditPublicKey
    package var to: AuditPublicKey
    /// Base64 Ed25519 signature by `from` over `statement`.
    package var signature: String

    package init(
        seq: Int64, afterSeq: Int64, afterHash: String, from: AuditPublicKey, to: AuditPublicKey, signature: String
    ) {
        self.seq = seq
        self.afterSeq = afterSeq
        self.afterHash = afterHash
        self.from = from
        self.to = to
        self.signature = signature
    }

    /// The audit event that announces a rotation from `oldKey` to `newKey`, signed by `oldKey`. `afterSeq`/`afterHash`
    /// are the tree head before the append (size and root hex; 0 and the empty tree's root on an empty log).
    package static func auditDraft(
        actor: String,
        afterSeq: Int64,
        afterHash: String,
        oldKey: any EvidenceSigner,
        newKey: AuditPublicKey
    ) throws -> AuditDraft {
        var rotation = KeyRotation(
            seq: 0, afterSeq: afterSeq, afterHash: afterHash, from: oldKey.auditPublicKey, to: newKey,
            signature: "")
        rotation.signature = try SignedStatement.sign(rotation.statement, with: oldKey)
        return AuditDraft(actor: actor, action: .auditKeyRotated, decision: .info, details: rotation.eventDetails)
    }

    /// Reads a rotation back from its audit event.
    package init(event: AuditEvent) throws(EvidenceFormatError) {
        guard event.kind == .auditKeyRotated, case .object(let details) = event.details else {
            throw EvidenceFormatError("seq \(event.seq) is not an \(AuditAction.auditKeyRotated) event")
        }
        let fields = EvidenceFields(details)
        try fields.requireOnly(["after_seq", "after_hash", "from", "to", "signature"])
        self.init(
            seq: event.seq,
            afterSeq: try fields.int("after_seq"),
            afterHash: try fields.string("after_hash"),
            from: try fields.key("from"),
            to: try fields.key("to"),
            signature: try fields.string("signature")
        )
    }

    /// What `from` signs.
    package var statement: JSONValue {
        [
            "type": "hoop.key_rotation", "v": .int(Self.formatVersion), "after_seq": .int(afterSeq),
            "after_hash": .string(afterHash), "from": .string(from.text), "to": .string(to.text),
        ]
    }

    var eventDetails: JSONValue { .object(detailMembers) }

    private var detailMembers: [String: JSONValue] {
        [
            "after_seq": .int(afterSeq), "after_hash": .string(afterHash), "from": .string(from.text),
            "to": .string(to.text), "signature": .string(signature),
        ]
    }

    /// True when the old key really signed this hand-over.
    package var isSignatureValid: Bool {
        SignedStatement.isValid(signature, over: statement, by: from)
    }
}

// MARK: JSON lines

extension KeyRotation {
    /// One line of `rotations.jsonl` (canonical JSON, no newline).
    package var jsonLine: String {
        var members = detailMembers
        members["v"] = .int(Self.formatVersion)
        members["seq"] = .int(seq)
        return CanonicalJSON.string(.object(members))
    }

    package init(jsonLine: some Collection<UInt8>) throws(EvidenceFormatError) {
        let fields = try EvidenceFields(json: jsonLine)
        try fields.requireOnly(["v", "seq", "after_seq", "after_hash", "from", "to", "signature"])
        try fields.requireVersion(Self.formatVersion)
        self.init(
            seq: try fields.int("seq"),
            afterSeq: try fields.int("after_seq"),
            afterHash: try fields.string("after_hash"),
            from: try fields.key("from"),
            to: try fields.key("to"),
            signature: try fields.string("signature")
        )
    }
}
