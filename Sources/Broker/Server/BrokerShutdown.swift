import Foundation
import HoopCore
import Logging
import ServiceLifecycle
import UnixSignals

/// How the broker stops on SIGTERM or SIGINT. The first signal stops new work and gives open tunnel connections
/// `grace` to finish (a statement waiting for approval, a long query), logging what it waits for; then, or at a
/// second signal, it closes them (their sessions end as `closed`, recordings sealed, and a statement still waiting
/// is withdrawn because its client is gone). Without this the HTTP server waits for upgraded tunnels forever: they
/// are not HTTP requests it can let finish.
struct BrokerShutdown: Sendable {
    let grace: TimeInterval
    let sessions: SessionManager
    /// Ended at the first signal: their event streams are requests the HTTP server would wait for.
    let routes: [any MountedRoute]
    let logger: Logger

    /// Waits for the stop signals and carries them out on `group`; returns after the second signal, or when the
    /// calling task is cancelled (the group stopped by itself).
    func watch(_ group: ServiceGroup) async {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        var drain: Task<Void, Never>?
        defer { drain?.cancel() }
        for await signal in signals {
            guard drain == nil else {
                let open = await sessions.openTunnels()
                logger.notice("received \(signal) again: stopping now, closing \(Self.describe(open))")
                await sessions.closeAll()
                return
            }
            let open = await sessions.openTunnels()
            if open.isEmpty {
                logger.notice("received \(signal): stopping")
            } else {
                let waiting = "waiting up to \(DurationText.format(grace)) for \(Self.describe(open)) to finish"
                logger.notice("received \(signal): stopping; \(waiting) (send the signal again to stop now)")
            }
            await group.triggerGracefulShutdown()
            for route in routes { await route.stop() }
            drain = Task { [grace, sessions, logger] in
                try? await Task.sleep(for: .seconds(grace))
                guard !Task.isCancelled else { return }
                let open = await sessions.openTunnels()
                guard !open.isEmpty else { return }
                logger.notice("shutdown grace of \(DurationText.format(grace)) is over: closing \(Self.describe(open))")
                await sessions.closeAll()
            }
        }
    }

    /// "2 connection(s) of session ses_… (1), ses_… (1)", or "no connections".
    static func describe(_ open: [String: Int]) -> String {
        guard !open.isEmpty else { return "no connections" }
        let total = open.values.reduce(0, +)
        let sessions = open.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
        return "\(total) open connection(s) of session(s) \(sessions)"
    }
}
