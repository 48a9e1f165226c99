import ServiceLifecycle

/// Acts on changes announced by the store, whichever broker made them: a decided approval wakes the clients waiting
/// for it here, and an ended session closes its tunnels here. The sweep re-reads both on a timer, so a missed
/// announcement delays, but never loses, the effect.
struct StoreChangeFollower: Service {
    let store: any Store
    let sessions: SessionManager
    let approvals: ApprovalService

    func run() async throws {
        let changes = store.changes()
        await cancelWhenGracefulShutdown {
            for await change in changes {
                switch change {
                case .approval(let id): await approvals.changed(id)
                case .session(let id): await sessions.endedElsewhere(id)
                }
            }
        }
    }
}
