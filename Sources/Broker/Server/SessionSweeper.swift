import ServiceLifecycle

/// Ends expired sessions once a second, closing their tunnels and sealing their recordings.
struct SessionSweeper: Service {
    let sessions: SessionManager

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await sessions.expireDue()
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
