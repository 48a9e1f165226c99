import HoopCore

/// `mcp` resources: an upstream MCP server governed by the broker. Agents reach it with `hoopctl mcp RESOURCE`
/// (stdio); `connect` forwards the same newline-delimited JSON-RPC on a local port, and there is no `exec`.
struct MCPResourceClient: ResourceClient {
    var type: ResourceType { .mcp }
    var exec: ExecStyle? { nil }

    func example(_ details: ConnectionDetails) -> String {
        "; agent hosts run `hoopctl mcp \(details.resource)`, which speaks MCP on stdio"
    }
}
