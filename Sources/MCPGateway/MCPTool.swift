import MCP

/// One tool: how it presents itself in `tools/list` and what a call does. Every call goes through the broker
/// with the caller's own identity, so a tool can never do more than that identity could with `hoopctl`.
protocol MCPTool: Sendable {
    var name: MCPToolName { get }
    /// The `tools/list` entry: description, input schema, output schema and hints.
    var definition: Tool { get }
    /// Runs one call. Bad input throws `MCPError` (a JSON-RPC error); outcomes an agent should act on (a block, a
    /// pending approval, a failed statement) come back as results.
    func call(_ arguments: MCPArguments, _ context: MCPCallContext) async throws -> CallTool.Result
}

extension MCPTool {
    /// The argument names the input schema declares; a call with any other is refused, so a misspelt option is
    /// never silently ignored.
    var argumentNames: Set<String> {
        Set(definition.inputSchema.objectValue?["properties"]?.objectValue?.keys.map { $0 } ?? [])
    }
}
