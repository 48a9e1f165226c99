/// What the broker hands the bundle writer: the tail of its audit log up to a signed checkpoint, the compact range
/// standing for the leaves before it, and everything needed to prove both (docs/evidence.md §4).
package struct EvidenceExport: Sendable {
    package var origin: String
    /// The compact range of the leaves before the first event (`MerkleMath.compactRange(count: firstSeq - 1)`).
    package var prefix: [(NodeID, TreeHash)]
    /// Consecutive events from seq `prefix`'s leaf count + 1 to the checkpoint's size.
    package var events: [AuditEvent]
    /// The broker-signed checkpoint the bundle ends at, with whatever cosignatures it carries.
    package var checkpoint: SignedNote
    /// The newest cosigned checkpoint, when it is older than `checkpoint`.
    package var witnessed: SignedNote?
    /// Every key rotation of the broker's log up to the checkpoint, oldest first.
    package var rotations: [KeyRotation]
    /// Recording segment files by segment name (`SealedRecording.name`), as stored (`recordings/<name>.jsonl`).
    package var recordings: [String: [UInt8]]
    /// Segments that stream out after the bundle's other files, by segment name, measured and hashed beforehand; a
    /// segment is in `recordings` or here, not both.
    package var streamedRecordings: [String: StreamedBundleFile]
    /// Tombstones of pruned segments, used for segments whose file is gone.
    package var tombstones: [RecordingTombstone]
    package var filter: EvidenceFilter
    package var broker: BrokerIdentity?
    /// RFC 3339 UTC.
    package var exportedAt: String

    package init(
        origin: String,
        prefix: [(NodeID, TreeHash)] = [],
        events: [AuditEvent],
        checkpoint: SignedNote,
        witnessed: SignedNote? = nil,
        rotations: [KeyRotation] = [],
        recordings: [String: [UInt8]] = [:],
        streamedRecordings: [String: StreamedBundleFile] = [:],
        tombstones: [RecordingTombstone] = [],
        filter: EvidenceFilter = EvidenceFilter(),
        broker: BrokerIdentity? = nil,
        exportedAt: String
    ) {
        self.origin = origin
        self.prefix = prefix
        self.events = events
        self.checkpoint = checkpoint
        self.witnessed = witnessed
        self.rotations = rotations
        self.recordings = recordings
        self.streamedRecordings = streamedRecordings
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
    /// The checkpoint is not a checkpoint of this log, or its size is not where the events end.
    case checkpointMismatch(String)
    /// A sealed segment's name could not be a file name inside the bundle's recordings folder.
    case unsafeRecordingName(String)
    case signingFailed(String)

    package var description: String {
        switch self {
        case .noEvents:
            "there are no audit events to export"
        case .notConsecutive(let expected, let found):
            "the audit events are not consecutive: expected seq \(expected), found seq \(found)"
        case .checkpointMismatch(let reason):
            "the checkpoint does not fit the exported events: \(reason)"
        case .unsafeRecordingName(let name):
            "recording \(name) cannot be a file name in a bundle"
        case .signingFailed(let reason):
            "cannot sign the export: \(reason)"
        }
    }
}
