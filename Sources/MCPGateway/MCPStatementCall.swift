import HoopCore
import Local
import MCP

/// SQL run for a tool through the same path as `hoopctl exec`: a session opened for the call (tagged with the
/// tool), the broker's whole pipeline on every statement, and the session revoked afterwards. Approvals never
/// hold the call longer than it asked (`wait_seconds`, default 0): a held statement comes back as the pending
/// request, and a later call with its `approval_id` runs it once approved.
struct MCPStatementCall {
    let runner: any StatementRunner
    let resource: String
    let sql: String
    let approval: Int64?
    let reason: String?
    let waitSeconds: Int

    /// What happened: the statements ran (each may still have failed), or the call stopped with an outcome to
    /// return as it is (pending, denied).
    enum Outcome {
        case ran(StatementsOutcome)
        case stopped(CallTool.Result)
    }

    func run(_ context: MCPCallContext) async throws -> Outcome {
        do throws(LocalError) {
            return .ran(try await attempt(context))
        } catch {
            return .stopped(try await MCPRefusals.outcome(of: error, context))
        }
    }

    /// Runs with the approval the call brought, or, when the broker holds a statement and the call may wait,
    /// waits for that request and runs again with it.
    private func attempt(_ context: MCPCallContext) async throws(LocalError) -> StatementsOutcome {
        let approved: ApprovalInfo? =
            if let approval { try await MCPApprovalWaiter.settled(approval, waiting: waitSeconds, context) } else {
                nil
            }
        do throws(LocalError) {
            return try await attempt(with: approved, context)
        } catch {
            guard error.kind == .approvalPending, waitSeconds > 0, let id = error.approval else { throw error }
            return try await attempt(
                with: try await MCPApprovalWaiter.settled(id, waiting: waitSeconds, context), context)
        }
    }

    private func attempt(with approval: ApprovalInfo?, _ context: MCPCallContext) async throws(LocalError)
        -> StatementsOutcome
    {
        try await runner.run(
            client: context.broker, request: context.sessionRequest(resource, reason: reason), sql: sql,
            approvals: .noWait, approval: approval)
    }
}
