/// A recording segment sealed into the audit chain: a `session.close` or `recording.seal` event whose details carry
/// the segment's digest (the hash of its last event) and, when the broker knew it, how many events it holds.
///
/// Each broker serving a session writes its own segment. The granting broker's is named for the session, as every
/// recording was before segments existed; another broker's is `<session>.<broker>`, given as `details.recording`.
/// An event without that detail seals the session's own segment, so older bundles read as they always did.
package struct SealedRecording: Sendable, Equatable {
    /// The seq of the sealing event.
    package var seq: Int64
    package var session: String
    /// The segment's name: the file is `recordings/<name>.jsonl` (`BundleLayout.recording(name:)`).
    package var name: String
    package var digest: String
    package var events: Int64?

    package init?(_ event: AuditEvent) {
        guard event.kind == .sessionClose || event.kind == .recordingSeal, let session = event.session,
            let digest = event.details[RecordingSealDetail.digest]?.stringValue
        else { return nil }
        self.seq = event.seq
        self.session = session
        self.name = event.details[RecordingSealDetail.recording]?.stringValue ?? session
        self.digest = digest
        self.events = event.details[RecordingSealDetail.events]?.intValue
    }

    /// Whether `event` seals a segment of `session`: the events an export that shows the session must show too.
    package static func seals(_ event: AuditEvent, of sessions: Set<String>) -> Bool {
        (event.kind == .sessionClose || event.kind == .recordingSeal) && event.session.map(sessions.contains) == true
    }
}

/// The detail keys that seal a recording segment in `session.close` and `recording.seal` events.
package enum RecordingSealDetail {
    /// The segment's name, when it is not the session id.
    package static let recording = "recording"
    package static let digest = "recording_digest"
    package static let events = "recording_events"
}
