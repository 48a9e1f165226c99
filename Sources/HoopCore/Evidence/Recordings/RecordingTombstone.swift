import Crypto

/// What stays of a recording segment that retention pruned: the broker's signed statement that segment `session`,
/// with `events` events and digest `digest` (the digest sealed in its `session.close` or `recording.seal` audit
/// event), was deleted on purpose. A verifier accepts it in place of the file, so pruning old recordings never breaks
/// an export.
package struct RecordingTombstone: Sendable, Equatable {
    package static let formatVersion: Int64 = 1

    /// The segment's name (`SealedRecording.name`): the session id for the granting broker's segment, which is what
    /// the field always held before segments existed, so the signed statement keeps its shape.
    package var session: String
    package var digest: String
    package var events: Int64
    /// RFC 3339 UTC (`Timestamp.format`).
    package var prunedAt: String
    /// Why it was pruned, for the auditor (e.g. `retention: 90 days`).
    package var reason: String
    /// The audit key that signed it; a verifier accepts it only when that key is one it trusts.
    package var key: AuditPublicKey
    /// Base64 Ed25519 signature by `key` over `statement`.
    package var signature: String

    package init(
        session: String, digest: String, events: Int64, prunedAt: String, reason: String, key: AuditPublicKey,
        signature: String
    ) {
        self.session = session
        self.digest = digest
        self.events = events
        self.prunedAt = prunedAt
        self.reason = reason
        self.key = key
        self.signature = signature
    }

    /// Signs the tombstone for a recording about to be deleted, with the audit key in effect.
    package static func sign(
        session: String,
        digest: String,
        events: Int64,
        prunedAt: String,
        reason: String,
        key: any EvidenceSigner
    ) throws -> RecordingTombstone {
        var tombstone = RecordingTombstone(
            session: session, digest: digest, events: events, prunedAt: prunedAt, reason: reason,
            key: key.auditPublicKey, signature: "")
        tombstone.signature = try SignedStatement.sign(tombstone.statement, with: key)
        return tombstone
    }

    /// What the signature covers.
    package var statement: JSONValue {
        [
            "type": "hoop.recording_tombstone", "v": .int(Self.formatVersion), "session": .string(session),
            "digest": .string(digest), "events": .int(events), "pruned_at": .string(prunedAt),
            "reason": .string(reason), "key": .string(key.text),
        ]
    }

    package var isSignatureValid: Bool {
        SignedStatement.isValid(signature, over: statement, by: key)
    }

    /// The file name that replaces `<name>.jsonl` in a recordings directory.
    package static func fileName(name: String) -> String { name + suffix }

    /// What a tombstone's file name ends with.
    package static let suffix = ".tombstone.json"
}

// MARK: JSON

extension RecordingTombstone {
    /// The tombstone file's content (canonical JSON, no newline).
    package var json: String {
        CanonicalJSON.string([
            "v": .int(Self.formatVersion), "session": .string(session), "digest": .string(digest),
            "events": .int(events), "pruned_at": .string(prunedAt), "reason": .string(reason),
            "key": .string(key.text), "signature": .string(signature),
        ])
    }

    package init(json: some Collection<UInt8>) throws(EvidenceFormatError) {
        let fields = try EvidenceFields(json: json)
        try fields.requireOnly(["v", "session", "digest", "events", "pruned_at", "reason", "key", "signature"])
        try fields.requireVersion(Self.formatVersion)
        self.init(
            session: try fields.string("session"),
            digest: try fields.string("digest"),
            events: try fields.int("events"),
            prunedAt: try fields.string("pruned_at"),
            reason: try fields.string("reason"),
            key: try fields.key("key"),
            signature: try fields.string("signature")
        )
    }
}
