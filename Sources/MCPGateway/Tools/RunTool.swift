import HoopCore
import Local
import MCP

/// `run`: one command on an ssh resource through the broker's pipeline (command judge, approvals, masking,
/// recording), with its output captured and bounded.
struct RunTool: MCPTool {
    let name = MCPToolName.run

    var definition: Tool {
        Tool(
            name: name.rawValue,
            title: "Run a command",
            description: """
                Runs one command line on an ssh resource through the hoopctl broker, as you: the broker's command \
                guardrails, approvals, output masking and recording apply, and the host's credentials never reach \
                you. Returns the exit status, stdout and stderr (cut to a byte budget, and saying so). The command \
                gets no standard input. A command the broker refuses comes back with status "blocked" and the \
                broker's reason; one that needs approval returns status "pending_approval" with an approval_id \
                to pass in a later call.
                """,
            inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "resource": .object(["type": "string", "description": "An ssh resource list_resources shows."]),
                    "command": .object(["type": "string", "description": "The command line, as for `ssh host CMD`."]),
                    "approval_id": .object([
                        "type": "integer", "description": "An approved request from an earlier pending_approval.",
                    ]),
                    "reason": .object(["type": "string", "description": "Why you need it; approvers see it."]),
                ]),
                "required": .array(["resource", "command"]),
                "additionalProperties": false,
            ]),
            annotations: .init(destructiveHint: true, openWorldHint: false),
            outputSchema: .object([
                "type": "object",
                "properties": .object([
                    "status": .object(["type": "string"]),
                    "exit_status": .object(["type": "integer"]),
                    "stdout": .object(["type": "string"]),
                    "stderr": .object(["type": "string"]),
                ]),
                "required": .array(["status"]),
            ])
        )
    }

    /// The exit status the broker's SSH engine gives a command it refuses (as `hoopctl exec` reports it).
    static let refusedStatus: Int32 = 126

    func call(_ arguments: MCPArguments, _ context: MCPCallContext) async throws -> CallTool.Result {
        let resource = try arguments.requiredString("resource")
        let command = try arguments.requiredString("command")
        let reason = try arguments.string("reason")
        let approval = try arguments.integer("approval_id", in: 1...Int(Int32.max)).map(Int64.init)
        let info = try await MCPResourceKind.resource(resource, context)
        guard case .commands(let runner) = try MCPResourceKind.runner(for: info, tool: name) else {
            throw MCPError.internalError("no command runner for \(info.type.rawValue)")
        }
        let capture = CommandCapture(budget: context.limits.bytes)
        let outcome: CommandOutcome
        let noWait = ApprovalWait(wait: false, onUpdate: { _ in })
        do throws(LocalError) {
            let approved: ApprovalInfo? =
                if let approval {
                    try await noWait.awaitApproval(try await context.broker.approval(approval), client: context.broker)
                } else { nil }
            outcome = try await runner.run(
                client: context.broker, request: context.sessionRequest(resource, reason: reason), command: command,
                streams: capture.streams, approvals: noWait, approval: approved)
        } catch {
            return try await MCPRefusals.outcome(of: error, context)
        }
        let (stdout, stderr, dropped) = capture.text
        let code = outcome.exit.exitCode
        if code == Self.refusedStatus, let id = ApprovalNeededText.approvalID(in: stderr) {
            return try await MCPRefusals.outcome(
                of: LocalError(.approvalPending, "the command needs approval \(id)", approval: id), context)
        }
        let status: MCPOutcomeStatus = code == 0 ? .ok : code == Self.refusedStatus ? .blocked : .failed
        let output = Output(
            status: status, resource: resource, session: outcome.session.id, exitStatus: Int(code), stdout: stdout,
            stderr: stderr, truncated: dropped > 0,
            note: dropped > 0 ? "output was cut to \(context.limits.bytes) bytes; \(dropped) more were not kept" : nil)
        return try MCPToolOutput.result(output, isError: status != .ok)
    }

    struct Output: Codable, Sendable {
        var status: MCPOutcomeStatus
        var resource: String
        var session: String
        var exitStatus: Int
        var stdout: String
        var stderr: String
        var truncated: Bool
        var note: String?

        enum CodingKeys: String, CodingKey {
            case status, resource, session, stdout, stderr, truncated, note
            case exitStatus = "exit_status"
        }
    }
}
