import Foundation
import HoopCore
import Logging
import Masking
import NIOCore

/// The `mcp` engine: each tunnel connection is one agent's MCP conversation, newline-delimited JSON-RPC as on the
/// stdio transport (`hoopctl mcp RESOURCE` bridges the agent's stdio to it). `prepare` starts the upstream (runs
/// the command or readies the HTTP client), so a server that cannot start is a clear refusal before the upgrade;
/// `attach` runs an `MCPProxy` between the two until either side ends.
struct MCPEngine: ProtocolEngine {
    let logger: Logger
    let maskers: [String: ValueMasker]
    let pins: MCPToolPinBook

    func prepare(
        _ tunnel: AdmittedTunnel,
        connection: Int64,
        eventLoop: any EventLoop,
        reporter: ConnectionReporter
    ) async throws(BrokerError) -> any PreparedConnection {
        guard let target = tunnel.resource.target(as: MCPTarget.self) else {
            throw BrokerError(
                .internalFailure, code: "engine_mismatch", message: "\(tunnel.resource.name) is not an mcp resource")
        }
        let upstream: any MCPUpstream
        do {
            switch target.upstream {
            case .command(let arguments, let environment):
                upstream = try await MCPStdioUpstream.launch(
                    arguments: arguments, environment: environment, on: eventLoop, logger: logger)
            case .http(let url, let bearer):
                upstream = MCPHTTPUpstream(url: url, bearer: try bearer.map { try $0.resolve() }, logger: logger)
            }
        } catch {
            throw BrokerError(
                .badGateway, code: "target_unreachable",
                message: "cannot start the MCP server of \(tunnel.resource.name): \(error)",
                hint: "the broker operator can check the resource's command or url")
        }
        let gate = GuardrailGate(
            tunnel: tunnel, connection: connection, sessions: reporter.sessions,
            mode: ApprovalMode(wait: false, preapproved: tunnel.approvalMode.preapproved), reuseApproved: true)
        return PreparedMCPConnection(
            upstream: upstream,
            parts: { client in
                MCPProxy.Parts(
                    upstream: upstream, client: client,
                    judge: MCPToolJudge(rules: tunnel.resource.guardrails, allowTools: target.allowTools),
                    gate: gate, pins: pins, target: target, masker: tunnel.masker(from: maskers), reporter: reporter,
                    logger: logger)
            })
    }
}

/// One connection whose upstream is running; the proxy starts when the client channel is attached.
private final class PreparedMCPConnection: PreparedConnection, @unchecked Sendable {
    private let upstream: any MCPUpstream
    private let parts: @Sendable (any Channel) -> MCPProxy.Parts
    // Set once in `attach`, on the client's event loop, before anything reads it.
    private var running: Task<TrafficCounts, Never>?

    init(upstream: any MCPUpstream, parts: @escaping @Sendable (any Channel) -> MCPProxy.Parts) {
        self.upstream = upstream
        self.parts = parts
    }

    func attach(client: any Channel) throws {
        let (lines, continuation) = AsyncStream.makeStream(of: Data.self)
        try client.pipeline.syncOperations.addHandler(ByteToMessageHandler(MCPLineDecoder()))
        try client.pipeline.syncOperations.addHandler(MCPLineSink(lines: continuation))
        let proxy = MCPProxy(parts(client))
        let upstream = self.upstream
        running = Task {
            await withTaskGroup { group in
                group.addTask {
                    for await line in lines { await proxy.fromClient(line) }
                }
                group.addTask {
                    for await line in upstream.messages { await proxy.fromUpstream(line) }
                    await proxy.upstreamEnded()
                }
                // Either side ending ends the conversation.
                await group.next()
                group.cancelAll()
                continuation.finish()
                await upstream.close()
                client.close(promise: nil)
            }
            return await proxy.traffic
        }
    }

    func abandon() {
        let upstream = self.upstream
        Task { await upstream.close() }
    }

    func finished() async -> TrafficCounts {
        await running?.value ?? TrafficCounts(up: 0, down: 0)
    }
}
