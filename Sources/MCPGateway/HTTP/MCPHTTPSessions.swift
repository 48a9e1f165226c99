import Foundation
import Local
package import Logging
package import MCP
import NIOConcurrencyHelpers

/// The broker's Streamable HTTP MCP endpoint (`/mcp`): one MCP session per client, each a `HoopMCPServer` that
/// calls the broker's own API on loopback as the identity that opened it, with the bearer it last sent. The
/// session is bound to that identity: another identity presenting its session id is refused, so a leaked id is
/// worth nothing without its owner's token. Sessions end on DELETE, after `idleTimeout`, or when their owner
/// opens more than `perIdentity` (the least recently used goes first), so abandoned clients hold nothing for long.
package actor MCPHTTPSessions {
    private struct Session {
        let owner: String
        let transport: StatefulHTTPServerTransport
        let bearer: NIOLockedValueBox<String>
        let serving: Task<Void, Never>
        var lastUsed: ContinuousClock.Instant
    }

    private var sessions: [String: Session] = [:]
    private let limits: MCPResultLimits
    private let idleTimeout: Duration
    private let perIdentity: Int
    private let logger: Logger

    package init(
        limits: MCPResultLimits = .defaults, idleTimeout: Duration = .seconds(30 * 60), perIdentity: Int = 16,
        logger: Logger
    ) {
        self.limits = limits
        self.idleTimeout = idleTimeout
        self.perIdentity = perIdentity
        self.logger = logger
    }

    /// Answers one HTTP request of the Streamable HTTP transport (POST, GET or DELETE on `/mcp`).
    package func handle(_ request: HTTPRequest, from caller: MCPHTTPCaller) async -> HTTPResponse {
        await endIdleSessions()
        guard let id = request.header(HTTPHeaderName.sessionID) else {
            return await open(request, for: caller)
        }
        guard var session = sessions[id] else {
            return .error(
                statusCode: 404, .invalidRequest("no MCP session \(id) (it ended or never existed): initialize again"))
        }
        guard session.owner == caller.identity else {
            return .error(statusCode: 403, .invalidRequest("MCP session \(id) belongs to another identity"))
        }
        session.bearer.withLockedValue { $0 = caller.bearer }
        session.lastUsed = .now
        sessions[id] = session
        let response = await session.transport.handleRequest(request)
        if request.method.uppercased() == "DELETE" {
            await end(id, why: "the client ended it")
        }
        return response
    }

    /// Ends every session, as the broker stops.
    package func endAll() async {
        for id in sessions.keys { await end(id, why: "the broker stops") }
    }

    /// A request without a session id must be an initialize request; it opens a session of its own.
    private func open(_ request: HTTPRequest, for caller: MCPHTTPCaller) async -> HTTPResponse {
        let broker: BrokerClient
        let bearer = NIOLockedValueBox(caller.bearer)
        do throws(LocalError) {
            broker = BrokerClient(
                endpoint: try BrokerEndpoint(parsing: caller.brokerURL),
                trust: try TrustAnchor.servedChain(pem: caller.brokerChainPEM),
                tokens: .latest { bearer.withLockedValue { $0 } })
        } catch {
            return .error(statusCode: 500, .internalError("the MCP endpoint cannot reach the broker: \(error.message)"))
        }
        let transport = StatefulHTTPServerTransport(
            validationPipeline: StandardValidationPipeline(validators: [
                AcceptHeaderValidator(mode: .sseRequired), ContentTypeValidator(), ProtocolVersionValidator(),
                SessionValidator(),
            ]),
            logger: logger)
        let server = HoopMCPServer(broker: broker, interface: .http, limits: limits, logger: logger)
        let logger = self.logger
        let serving = Task {
            do {
                try await server.serve(over: transport)
            } catch {
                logger.warning("an MCP session over HTTP ended: \(error)")
            }
        }
        let response = await transport.handleRequest(request)
        guard let id = response.headers[HTTPHeaderName.sessionID], response.statusCode < 400 else {
            await transport.disconnect()
            serving.cancel()
            return response
        }
        await makeRoom(for: caller.identity)
        sessions[id] = Session(
            owner: caller.identity, transport: transport, bearer: bearer, serving: serving, lastUsed: .now)
        logger.info("MCP session opened over HTTP", metadata: ["session": "\(id)", "identity": "\(caller.identity)"])
        return response
    }

    private func makeRoom(for owner: String) async {
        let owned = sessions.filter { $0.value.owner == owner }.sorted { $0.value.lastUsed < $1.value.lastUsed }
        for (id, _) in owned.prefix(max(0, owned.count - perIdentity + 1)) {
            await end(id, why: "its identity opened more than \(perIdentity) sessions")
        }
    }

    private func endIdleSessions() async {
        let now = ContinuousClock.now
        for (id, session) in sessions where now - session.lastUsed > idleTimeout {
            await end(id, why: "idle for \(idleTimeout)")
        }
    }

    private func end(_ id: String, why: String) async {
        guard let session = sessions.removeValue(forKey: id) else { return }
        await session.transport.disconnect()
        session.serving.cancel()
        logger.info("MCP session ended", metadata: ["session": "\(id)", "why": "\(why)"])
    }
}
