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
    /// Where the client came in; the audit's `connection.open` says so.
    var entry = ConnectionEntry.tunnel

    /// The client already proved the session's login where it connected (a direct listener checks it to find the
    /// session), so the engine must not ask for it again.
    var loginProven: Bool { entry != .tunnel }
}

/// How a connection reached the broker.
enum ConnectionEntry: String, Sendable {
    /// A tunnel from `hoopctl connect`, admitted by its session grant.
    case tunnel
    /// The broker's own PostgreSQL port, admitted by the session's direct login (or a cancel key).
    case postgresDirect = "postgres_direct"
}
