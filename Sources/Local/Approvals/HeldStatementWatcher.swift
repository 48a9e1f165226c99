import Foundation
import HoopCore
import Synchronization

/// While the broker holds an exec's statement for approval, follows the request through the API so the caller can
/// show who still has to approve; stops when the statement is released or the exec ends.
final class HeldStatementWatcher: Sendable {
    private let client: BrokerClient
    private let approvals: ApprovalWait
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(client: BrokerClient, approvals: ApprovalWait) {
        self.client = client
        self.approvals = approvals
    }

    /// Starts following request `id` (replacing any earlier one).
    @Sendable func watch(_ id: Int64) {
        let follow = Task { [client, approvals] in
            var wait = 0
            while !Task.isCancelled {
                guard let info = try? await client.approval(id, wait: wait) else { return }
                approvals.onUpdate(info)
                guard info.status == .pending else { return }
                wait = 25
            }
        }
        task.withLock { current in
            current?.cancel()
            current = follow
        }
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }
}
