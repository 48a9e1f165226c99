import HoopCore
import Local
import MCP

/// `request_access`: asks for a session on a resource whose sessions need approval, with a reason the approvers
/// see. The answer is the request to wait for; the session itself is opened by the `query` or `run` call that
/// later brings the approved request's id.
struct RequestAccessTool: MCPTool {
    let name = MCPToolName.requestAccess

    var definition: Tool {
        Tool(
            name: name.rawValue,
            title: "Request access",
            description: """
                Asks for access to a resource whose sessions need approval, with your reason. Returns status \
                "pending_approval" and an approval_id (pass it to query or run once approved), "approved" when an \
                approval you named already covers it, or "not_needed" when the resource needs no approval.
                """,
            inputSchema: MCPSchema.input(
                [
                    "resource": MCPSchema.resource(),
                    "reason": MCPSchema.reason("Why you need access; approvers see it."),
                ],
                required: ["resource", "reason"]),
            annotations: .init(readOnlyHint: false, destructiveHint: false, openWorldHint: false),
            outputSchema: MCPSchema.output(["status": MCPSchema.typed("string")], required: ["status"])
        )
    }

    func call(_ arguments: MCPArguments, _ context: MCPCallContext) async throws -> CallTool.Result {
        let resource = try arguments.requiredString("resource")
        let reason = try arguments.requiredString("reason")
        let info = try await MCPResourceKind.resource(resource, context)
        guard let approvers = info.sessionApprovers, !approvers.isEmpty else {
            return try MCPToolOutput.result(
                RefusalOutput(
                    status: .notNeeded,
                    message: "sessions on \(resource) need no approval; call its tool directly"
                ))
        }
        let tool = MCPResourceKind(info.type).tool ?? .query
        let opening: SessionOpening
        do throws(LocalError) {
            opening = try await context.broker.createSession(context.sessionRequest(resource, reason: reason))
        } catch {
            throw error.jsonRPC
        }
        switch opening {
        case .pending(let approval):
            return try MCPToolOutput.result(ApprovalOutput.pending(approval, tool: tool))
        case .granted(let granted):
            // Such a resource grants only a request that brought an approval, and this one brought none.
            _ = try? await context.broker.revokeSession(granted.session.id)
            return try MCPToolOutput.result(
                RefusalOutput(
                    status: .notNeeded, message: "the broker granted a session on \(resource) without approval"))
        }
    }
}
