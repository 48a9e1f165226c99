import ServiceLifecycle

/// Once a second: flushes live recordings (bounding what a crash can lose), ends expired sessions (closing their
/// tunnels and sealing their recordings) and expires undecided approval requests.
struct SessionSweeper: Service {
    let sessions: SessionManager
    let approvals: ApprovalService

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await sessions.flushRecordings()
            await sessions.expireDue()
            await approvals.expireDue()
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
