import ServiceLifecycle

/// Once a second: flushes live recordings (bounding what a crash can lose), ends expired sessions (closing their
/// tunnels and sealing their recordings), expires undecided or unused approval requests, and writes the summaries of
/// rejected-token windows that ended.
struct SessionSweeper: Service {
    let sessions: SessionManager
    let approvals: ApprovalService
    let authenticator: Authenticator
    /// On a shared store: the deployment's rejected-credential counts.
    var rejectionSharing: RejectionSharing? = nil

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await sessions.flushRecordings()
            await sessions.expireDue()
            await approvals.expireDue()
            await authenticator.recordRejectionSummaries()
            await rejectionSharing?.sync()
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
