import Foundation
import HoopCore
import Local

/// Waits a bounded time for an approval while a call is open, reporting progress so the agent (and its user) can
/// see what it waits for. Never longer than the caller asked: a call that outlives it returns the pending request
/// instead of hanging.
enum MCPApprovalWaiter {
    /// The longest a call may ask to wait.
    static let longestWait = 300

    /// The request's state once decided, or when `seconds` have passed.
    static func wait(for id: Int64, seconds: Int, _ context: MCPCallContext) async throws(LocalError) -> ApprovalInfo {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var approval = try await context.broker.approval(id)
        var step = 0.0
        while approval.status == .pending, ContinuousClock.now < deadline, !Task.isCancelled {
            let left = Int((deadline - ContinuousClock.now).components.seconds)
            let approvers = approval.approverGroups.joined(separator: ", ")
            await context.progress.report(
                step, "waiting for approval \(id) by \(approvers) (\(max(left, 0)) s left of this call)")
            step += 1
            approval = try await context.broker.approval(id, wait: max(1, min(left, 25)))
        }
        return approval
    }

    /// The request `id` once approved (waiting up to `seconds` while it is pending); a pending, denied or expired
    /// one throws as `hoopctl exec --no-wait` would.
    static func settled(_ id: Int64, waiting seconds: Int, _ context: MCPCallContext) async throws(LocalError)
        -> ApprovalInfo
    {
        let current =
            seconds > 0
            ? try await wait(for: id, seconds: seconds, context)
            : try await context.broker.approval(id)
        return try await ApprovalWait.noWait.awaitApproval(current, client: context.broker)
    }
}
