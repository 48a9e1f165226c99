/// A recording sealed into the audit chain: a `session.close` event whose details carry the recording's digest (the
/// hash of its last event) and, when the broker knew it, how many events it holds.
struct SealedRecording: Sendable, Equatable {

    /// The seq of the `session.close` event.
    var seq: Int64
    var session: String
    var digest: String
    var events: Int64?

    init?(_ event: AuditEvent) {
        guard event.kind == .sessionClose, let session = event.session,
            let digest = event.details["recording_digest"]?.stringValue
        else { return nil }
        self.seq = event.seq
        self.session = session
        self.digest = digest
        self.events = event.details["recording_events"]?.intValue
    }
}
