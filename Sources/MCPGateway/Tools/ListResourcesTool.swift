import HoopCore
import Local
import MCP

/// `list_resources`: what the caller may use, with the policy it will meet there.
struct ListResourcesTool: MCPTool {
    let name = MCPToolName.listResources

    var definition: Tool {
        Tool(
            name: name.rawValue,
            title: "List resources",
            description: """
                Lists the resources (databases, hosts) you may use through the hoopctl broker, with the policy \
                each applies: guardrails that block statements or hold them for approval, who approves, and \
                which columns are masked. Use `query` for postgres and mysql resources, `run` for ssh.
                """,
            inputSchema: MCPSchema.input([:]),
            annotations: .init(readOnlyHint: true, openWorldHint: false),
            outputSchema: MCPSchema.output(["resources": MCPSchema.typed("array")], required: ["resources"])
        )
    }

    func call(_ arguments: MCPArguments, _ context: MCPCallContext) async throws -> CallTool.Result {
        let listed: [ResourceInfo]
        do throws(LocalError) {
            listed = try await context.broker.resources()
        } catch {
            throw error.jsonRPC
        }
        return try MCPToolOutput.result(Output(resources: listed.map(ResourceOutput.init)))
    }

    struct Output: Codable, Sendable {
        var resources: [ResourceOutput]
    }
}

/// One resource as the tools describe it.
struct ResourceOutput: Codable, Sendable {
    var name: String
    var type: String
    /// The tool that runs things there.
    var tool: String?
    var maxSessionSeconds: Int
    var masked: Bool
    var maskedColumns: [MaskedColumnInfo]
    var guardrails: [GuardrailInfo]
    var sessionApprovers: [String]?
    /// How an agent reaches a resource no tool here runs on: an MCP server of its own for an `mcp` resource.
    var reach: String?

    init(_ info: ResourceInfo) {
        name = info.name
        type = info.type.rawValue
        tool = MCPResourceKind(info.type).tool?.rawValue
        maxSessionSeconds = info.maxSessionSeconds
        masked = info.masked ?? false
        maskedColumns = info.maskedColumns ?? []
        guardrails = info.guardrails ?? []
        sessionApprovers = info.sessionApprovers
        if info.type == .mcp {
            reach = "an MCP server of its own: add `hoopctl mcp \(info.name)` to the agent host's MCP servers"
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, type, tool, masked, guardrails, reach
        case maxSessionSeconds = "max_session_seconds"
        case maskedColumns = "masked_columns"
        case sessionApprovers = "session_approvers"
    }
}
