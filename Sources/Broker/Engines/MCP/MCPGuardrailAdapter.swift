import HoopCore
import MCP

/// What becomes of one tool call after the gate.
enum MCPCallVerdict: Sendable {
    /// Pass it to the upstream.
    case forward
    /// Answer the agent with this tool result instead (`isError`), the upstream never seeing the call.
    case answer([String: Value])
    /// The broker could not record its decision: refuse with this problem and end the connection.
    case close(String)
}

/// The gate's outcomes in MCP's words: a refused or held call is a tool result with `isError` and a structured
/// account (status, rule, approval id), so the agent's model reads why and what to do, and the JSON-RPC exchange
/// stays well formed. The gate never holds an MCP call (an agent must not hang): a call that needs approval is
/// answered at once, and the same call made again once approved runs.
struct MCPGuardrailAdapter: GuardrailAdapter {
    let tool: String

    func run() -> MCPCallVerdict { .forward }

    func refuse(_ refusal: GuardrailRefusal) -> MCPCallVerdict {
        var account: [String: Value] = [
            "status": "refused", "tool": .string(tool), "message": .string(refusal.message),
        ]
        if let id = refusal.approval { account["approval_id"] = .int(Int(id)) }
        return .answer(Self.result(refusal.message, account))
    }

    func pending(_ request: ApprovalRecord) -> MCPCallVerdict {
        let text =
            ApprovalNeededText.message(
                subject: "call of \(tool)", id: request.id, approveCommand: "hoopctl approvals approve \(request.id)")
            + "; once approved, make the same call again (same arguments) and it runs"
        return .answer(
            Self.result(
                text,
                [
                    "status": "pending_approval", "tool": .string(tool), "approval_id": .int(Int(request.id)),
                    "rule": .string(request.rule), "approvers": .array(request.approverGroups.map { .string($0) }),
                    "expires_at": .string(Timestamp.format(request.expiresAt)),
                ]))
    }

    func hold(_ hold: GuardrailHold, until decision: @escaping @Sendable () async -> MCPCallVerdict)
        -> MCPCallVerdict
    {
        pending(hold.request)
    }

    func unavailable(_ problem: String) -> MCPCallVerdict { .close(problem) }

    /// A tool result the agent reads: the text, and the same account as structured content.
    static func result(_ text: String, _ account: [String: Value]) -> [String: Value] {
        [
            "content": .array([.object(["type": "text", "text": .string(text)])]),
            "structuredContent": .object(account), "isError": true,
        ]
    }
}
