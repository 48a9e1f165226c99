/// What the broker hands the bundle writer: a run of its audit chain and everything needed to prove it.
package struct EvidenceExport: Sendable {
    /// Consecutive events, the first right after a checkpoint (or seq 1). Events after the last checkpoint are
    /// left out of the bundle, since nothing signed covers them yet.
    package var events: [AuditEvent]
    /// Every checkpoint from the one anchoring `events` on (others are ignored).
    package var checkpoints: [Checkpoint]
    /// Every key rotation of the broker's chain so far, oldest first, so a verifier can walk from the first key.
    package var rotations: [KeyRotation]
    /// Recording files by session id, as stored (`recordings/<session>.jsonl`).
    package var recordings: [String: [UInt8]]
    /// Tombstones of pruned recordings, used for sessions whose file is gone.
    package var tombstones: [RecordingTombstone]
    package var filter: EvidenceFilter
    package var broker: BrokerIdentity?
    /// RFC 3339 UTC.
    package var exportedAt: String

    package init(
        events: [AuditEvent],
        checkpoints: [Checkpoint],
        rotations: [KeyRotation] = [],
        recordings: [String: [UInt8]] = [:],
        tombstones: [RecordingTombstone] = [],
        filter: EvidenceFilter = EvidenceFilter(),
        broker: BrokerIdentity? = nil,
        exportedAt: String
    ) {
        self.events = events
        self.checkpoints = checkpoints
        self.rotations = rotations
        self.recordings = recordings
        self.tombstones = tombstones
        self.filter = filter
        self.broker = broker
        self.exportedAt = exportedAt
    }
}

/// Why a bundle could not be assembled from what the broker supplied.
package enum EvidenceExportError: Error, Sendable, Equatable, CustomStringConvertible {
    case noEvents
    /// The events skip or repeat a seq.
    case notConsecutive(expected: Int64, found: Int64)
    /// The first event does not follow a checkpoint.
    case noAnchor(firstSeq: Int64)
    /// No checkpoint falls within the events.
    case notCovered(firstSeq: Int64, lastSeq: Int64)
    case unsafeSessionID(String)
    case signingFailed(String)

    package var description: String {
        switch self {
        case .noEvents:
            "there are no audit events to export"
        case .notConsecutive(let expected, let found):
            "the audit events are not consecutive: expected seq \(expected), found seq \(found)"
        case .noAnchor(let firstSeq):
            "an export must start right after a checkpoint, and there is none at seq \(firstSeq - 1)"
        case .notCovered(let firstSeq, let lastSeq):
            "no checkpoint covers seq \(firstSeq)...\(lastSeq) yet; export again after the next checkpoint"
        case .unsafeSessionID(let session):
            "session id \(session) cannot be a file name in a bundle"
        case .signingFailed(let reason):
            "cannot sign the export: \(reason)"
        }
    }
}
