import HoopCore
import Local
import MCP

/// What a tool call runs with: the broker as the caller, who the MCP client said it is, and a way to report
/// progress while the call waits.
struct MCPCallContext: Sendable {
    let broker: BrokerClient
    /// The MCP client's name and version from its `initialize` request, when it sent one.
    let client: String?
    let interface: MCPInterface
    let tool: MCPToolName
    let progress: MCPProgress
    let limits: MCPResultLimits

    /// How the sessions this call opens are tagged in the audit trail and the recording.
    var origin: SessionOrigin {
        SessionOrigin(interface: interface.rawValue, client: client, tool: tool.rawValue)
    }

    /// A session request for `resource` tagged with this call.
    func sessionRequest(_ resource: String, reason: String?, approval: Int64? = nil) -> SessionRequest {
        SessionRequest(
            resource: resource, reason: reason, durationSeconds: 600, approval: approval, origin: origin)
    }
}

/// Progress notifications for one call, sent only when the client asked for them with a progress token.
struct MCPProgress: Sendable {
    let token: ProgressToken?
    let send: @Sendable (ProgressNotification.Parameters) async -> Void

    func report(_ step: Double, of total: Double? = nil, _ message: String) async {
        guard let token else { return }
        await send(
            ProgressNotification.Parameters(progressToken: token, progress: step, total: total, message: message))
    }
}
