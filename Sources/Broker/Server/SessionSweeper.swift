import ServiceLifecycle

/// Once a second: flushes live recordings (bounding what a crash can lose) and ends expired sessions, closing their
/// tunnels and sealing their recordings.
struct SessionSweeper: Service {
    let sessions: SessionManager

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await sessions.flushRecordings()
            await sessions.expireDue()
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
