/// The MCP methods the broker knows by name; any other is refused (requests) or dropped (notifications).
enum MCPMethod: String, Sendable {
    case initialize
    case ping
    case toolsList = "tools/list"
    case toolsCall = "tools/call"
    case initialized = "notifications/initialized"
    case cancelled = "notifications/cancelled"
    case progress = "notifications/progress"
    case toolsListChanged = "notifications/tools/list_changed"

    /// Notifications an agent may send the upstream.
    var agentNotification: Bool { self == .initialized || self == .cancelled }
    /// Notifications the upstream may send the agent.
    var upstreamNotification: Bool { self == .progress || self == .toolsListChanged || self == .cancelled }
}
