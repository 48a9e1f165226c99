/// The tools `hoopctl mcp` offers, by the names agents call them with.
package enum MCPToolName: String, CaseIterable, Sendable {
    case listResources = "list_resources"
    case describeResource = "describe_resource"
    case query
    case run
    case approvalStatus = "approval_status"
    case requestAccess = "request_access"
}
