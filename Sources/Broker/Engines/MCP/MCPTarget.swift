import Foundation
import HoopCore

/// How the broker reaches an `mcp` resource's upstream server, and the resource's tool policy beyond guardrails.
struct MCPTarget: ResourceTarget {
    /// Where the upstream MCP server is.
    enum Upstream: Sendable {
        /// A program the broker runs for each connection, speaking MCP on its standard input and output.
        case command(arguments: [String], environment: [String: String])
        /// A Streamable HTTP endpoint, sent the held bearer token; the agent never sees it.
        case http(url: URL, bearer: SecretReference?)
    }

    var upstream: Upstream
    /// Tool-name globs this resource allows; nil allows every tool no guardrail blocks. When set, every other tool
    /// is blocked and absent from `tools/list` (deny by default).
    var allowTools: [String]?
    /// Who re-approves a tool whose definition changed after it was pinned.
    var toolChangeApprovers: ApprovalRequirement
}
