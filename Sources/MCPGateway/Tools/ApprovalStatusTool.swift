import HoopCore
import Local
import MCP

/// `approval_status`: where a request stands, optionally waiting (bounded, with progress) for a decision.
struct ApprovalStatusTool: MCPTool {
    let name = MCPToolName.approvalStatus

    var definition: Tool {
        Tool(
            name: name.rawValue,
            title: "Approval status",
            description: """
                Shows an approval request: pending, approved, denied, expired, withdrawn or used, who must approve, \
                the decisions so far and when it expires. Pass wait_seconds to wait (with progress notifications) \
                until it is decided or the time is up.
                """,
            inputSchema: MCPSchema.input(
                [
                    "approval_id": .object(["type": "integer", "description": "The request's id."]),
                    "wait_seconds": MCPSchema.waitSeconds("Wait this long for a decision (default 0)."),
                ],
                required: ["approval_id"]),
            annotations: .init(readOnlyHint: true, openWorldHint: false),
            outputSchema: MCPSchema.output(
                ["status": MCPSchema.typed("string"), "approval_id": MCPSchema.typed("integer")],
                required: ["status", "approval_id"])
        )
    }

    func call(_ arguments: MCPArguments, _ context: MCPCallContext) async throws -> CallTool.Result {
        guard let id = try arguments.approvalID() else {
            throw MCPError.invalidParams("approval_status needs 'approval_id', an integer")
        }
        let wait = try arguments.integer("wait_seconds", in: 0...MCPApprovalWaiter.longestWait) ?? 0
        let approval: ApprovalInfo
        do throws(LocalError) {
            approval = try await MCPApprovalWaiter.wait(for: id, seconds: wait, context)
        } catch {
            throw error.jsonRPC
        }
        switch approval.status {
        case .pending:
            return try MCPToolOutput.result(ApprovalOutput.pending(approval, tool: .query))
        case .approved:
            return try MCPToolOutput.result(
                ApprovalOutput(
                    approval, status: .approved,
                    next: "call the tool again with the same arguments and approval_id \(approval.id)"))
        default:
            return try MCPToolOutput.result(ApprovalOutput(approval, status: .denied))
        }
    }
}
