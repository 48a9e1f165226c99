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
            inputSchema: MCPSchema.input(
                [
                    "resource": MCPSchema.resource("An ssh resource list_resources shows."),
                    "command": MCPSchema.string("The command line, as for `ssh host CMD`."),
                    "approval_id": MCPSchema.approvalID,
                    "reason": MCPSchema.reason(),
                ],
                required: ["resource", "command"]),
            annotations: .init(destructiveHint: true, openWorldHint: false),
            outputSchema: MCPSchema.output(
                [
                    "status": MCPSchema.typed("string"), "exit_status": MCPSchema.typed("integer"),
                    "stdout": MCPSchema.typed("string"), "stderr": MCPSchema.typed("string"),
                ],
                required: ["status"])
        )
    }

    /// The exit status the broker's SSH engine gives a command it refuses (as `hoopctl exec` reports it).
    static let refusedStatus: Int32 = 126

    func call(_ arguments: MCPArguments, _ context: MCPCallContext) async throws -> CallTool.Result {
        let resource = try arguments.requiredString("resource")
        let command = try arguments.requiredString("command")
        let reason = try arguments.string("reason")
        let approval = try arguments.approvalID()
        let info = try await MCPResourceKind.resource(resource, context)
        let runner = try MCPResourceKind.commandRunner(for: info)
        let capture = CommandCapture(budget: context.limits.bytes)
        let outcome: CommandOutcome
        do throws(LocalError) {
            let approved: ApprovalInfo? =
                if let approval { try await MCPApprovalWaiter.settled(approval, waiting: 0, context) } else { nil }
            outcome = try await runner.run(
                client: context.broker, request: context.sessionRequest(resource, reason: reason), command: command,
                streams: capture.streams, approvals: .noWait, approval: approved)
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
