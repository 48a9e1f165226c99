import Broker
import Foundation
import HoopCore
import MCP
import MCPGateway

/// `/mcp` on the broker's port: the MCP gateway's Streamable HTTP sessions behind the broker's authenticator. The
/// broker library does not link the gateway (which is a client of the broker), so the executable joins them here.
struct MCPHTTPRoute: MountedRoute {
    let sessions: MCPHTTPSessions

    var path: String { "/mcp" }

    func respond(to request: MountedRequest) async -> MountedResponse {
        let caller = MCPHTTPCaller(
            identity: "\(request.caller.issuer) \(request.caller.subject)", bearer: request.bearer,
            brokerURL: request.loopback.url, brokerChainPEM: request.loopback.certificateChainPEM)
        let answer = await sessions.handle(
            HTTPRequest(method: request.method, headers: request.headers, body: request.body, path: path),
            from: caller)
        let body: MountedResponse.Body =
            switch answer {
            case .stream(let events, _): .stream(events)
            default: .bytes(answer.bodyData ?? Data())
            }
        return MountedResponse(status: answer.statusCode, headers: answer.headers, body: body)
    }

    func stop() async {
        await sessions.endAll()
    }
}
