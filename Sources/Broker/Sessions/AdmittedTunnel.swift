import HoopCore

/// A tunnel whose grant checked out: the session, its resource, the recorder its traffic goes to, and the login
/// local clients must present (for protocols that have one).
struct AdmittedTunnel: Sendable {
    var session: SessionRecord
    var resource: ResourceConfig
    var recorder: SessionRecorder
    var clientPassword: String?
    /// Where statements needing approval go.
    var approvals: ApprovalService
    /// How this connection's client wants held statements treated (from its tunnel request).
    var approvalMode = ApprovalMode.interactive
    /// The client already proved the session's login where it connected (the broker's direct PostgreSQL listener),
    /// so the engine must not ask for it again.
    var loginProven = false
}
