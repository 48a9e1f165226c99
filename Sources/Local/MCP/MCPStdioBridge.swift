import Foundation
package import HoopCore
import NIOCore
import NIOPosix

/// `hoopctl mcp RESOURCE`: joins the agent host's stdio to an `mcp` resource through a session tunnel. The
/// broker's engine speaks MCP's stdio framing (one JSON-RPC message per line) on the tunnel and judges, pins,
/// masks and records every message; this side only carries bytes, so it holds no policy. The session ends (and
/// is revoked) when the host closes stdin or the broker closes the tunnel.
package enum MCPStdioBridge {
    package static func run(client: BrokerClient, request: SessionRequest, approvals: ApprovalWait)
        async throws(LocalError)
    {
        let (request, headers) = approvals.bringing(nil, to: request)
        let granted = try await approvals.openSession(client, request)
        guard granted.session.resourceType == .mcp else {
            _ = try? await client.revokeSession(granted.session.id)
            throw LocalError(
                .invalidInput,
                "\(request.resource) is a \(granted.session.resourceType) resource; `hoopctl mcp RESOURCE` serves mcp "
                    + "resources",
                hint: "run `hoopctl mcp` without a resource: its query and run tools reach every kind")
        }
        let dialer = try TunnelDialer(
            endpoint: client.endpoint, trust: client.trust, grant: granted.grant, headers: headers)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let stdio: any Channel
        do {
            stdio = try await NIOPipeBootstrap(group: loop)
                .channelOption(.autoRead, value: false)
                .takingOwnershipOfDescriptors(input: dup(STDIN_FILENO), output: dup(STDOUT_FILENO))
                .get()
        } catch {
            throw LocalError(.invalidInput, "standard input and output cannot carry MCP here: \(error)")
        }
        var failure: LocalError?
        do throws(LocalError) {
            let tunnel = try await dialer.open(on: loop, upgrader: .splicing(to: stdio))
            stdio.read()
            _ = stdio.setOption(.autoRead, value: true)
            try? await tunnel.closeFuture.get()
        } catch {
            failure = error
        }
        try? await stdio.close()
        _ = try? await client.revokeSession(granted.session.id)
        if let failure { throw failure }
    }
}
