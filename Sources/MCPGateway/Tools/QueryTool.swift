import HoopCore
import MCP

/// `query`: SQL on a postgres or mysql resource through the broker's pipeline.
struct QueryTool: MCPTool {
    let name = MCPToolName.query

    var definition: Tool {
        Tool(
            name: name.rawValue,
            title: "Run SQL",
            description: """
                Runs SQL on a postgres or mysql resource through the hoopctl broker, as you: guardrails, approvals, \
                masking and recording apply, and the database's credentials never reach you. Several statements \
                may be sent at once; each gets its own result. A statement a guardrail blocks comes back with \
                status "blocked", the rule and its reason. One that needs approval comes back at once with status \
                "pending_approval" and an approval_id: once someone approves it (approval_status tells), call query \
                again with the same sql and that approval_id. Results are cut to max_rows rows per statement (and \
                a byte budget) and say so.
                """,
            inputSchema: MCPSchema.input(
                [
                    "resource": MCPSchema.resource(),
                    "sql": MCPSchema.string("The SQL to run."),
                    "approval_id": MCPSchema.approvalID,
                    "max_rows": .object([
                        "type": "integer", "minimum": 1, "maximum": .int(MCPResultLimits.mostRows),
                        "description": "Rows per statement to return (default 200).",
                    ]),
                    "wait_seconds": MCPSchema.waitSeconds(
                        "How long to wait for an approval before returning it pending (default 0)."),
                    "reason": MCPSchema.reason(),
                ],
                required: ["resource", "sql"]),
            annotations: .init(destructiveHint: true, openWorldHint: false),
            outputSchema: MCPSchema.output(
                [
                    "status": MCPSchema.typed("string"), "statements": MCPSchema.typed("array"),
                    "approval_id": MCPSchema.typed("integer"),
                ],
                required: ["status"])
        )
    }

    func call(_ arguments: MCPArguments, _ context: MCPCallContext) async throws -> CallTool.Result {
        let resource = try arguments.requiredString("resource")
        let sql = try arguments.requiredString("sql")
        let approval = try arguments.approvalID()
        let rows = try arguments.integer("max_rows", in: 1...MCPResultLimits.mostRows) ?? context.limits.rows
        let wait = try arguments.integer("wait_seconds", in: 0...MCPApprovalWaiter.longestWait) ?? 0
        let reason = try arguments.string("reason")
        let info = try await MCPResourceKind.resource(resource, context)
        let runner = try MCPResourceKind.statementRunner(for: info)
        let call = MCPStatementCall(
            runner: runner, resource: resource, sql: sql, approval: approval, reason: reason, waitSeconds: wait)
        switch try await call.run(context) {
        case .stopped(let result):
            return result
        case .ran(let outcome):
            let output = QueryOutput(outcome, resource: resource, rows: rows, bytes: context.limits.bytes)
            return try MCPToolOutput.result(output, isError: output.status != .ok)
        }
    }
}
