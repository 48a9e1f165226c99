/// Which way an agent reached the MCP tools, as the `interface` of every session they open: `hoopctl mcp` on the
/// agent's machine (stdio), or the broker's own `/mcp` endpoint (Streamable HTTP). An auditor tells them apart
/// because only the second runs without a hoopctl beside the agent.
package enum MCPInterface: String, Sendable {
    case stdio = "mcp"
    case http = "mcp-http"
}
