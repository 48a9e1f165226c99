import HoopCore
import Logging
import Metrics
import NIOCore

/// Decides whether an upgrade request becomes a tunnel, and prepares it: grant → session → audit → engine.
///
/// All of this happens before `101 Switching Protocols` is sent, so every refusal (bad grant, ended session, audit
/// unavailable, dead target) reaches the client as an HTTP error with a precise message.
///
/// Everything after the grant check — engine `prepare`, the recording's `open`, `connection.open`, attaching the
/// channel to its session, and `close` — is the seam every way in shares: the direct PostgreSQL listener
/// (`PostgresDirectGate`) admits by login instead of grant and then opens through `open(_:client:)` too.
struct TunnelGate: Sendable {
    let sessions: SessionManager
    let engines: EngineRegistry
    let logger: Logger

    func open(grant: String?, approvalMode: ApprovalMode, client: any Channel) async throws(BrokerError)
        -> OpenedTunnel
    {
        guard let grant, !grant.isEmpty else {
            throw BrokerError(
                .unauthenticated,
                code: "grant_missing",
                message: "a tunnel needs a session grant in the Authorization header",
                hint: "use `hoopctl connect`, which presents it for you"
            )
        }
        var tunnel = try await sessions.admit(grant: grant)
        tunnel.approvalMode = approvalMode
        return try await open(tunnel, client: client)
    }

    /// Opens an admitted session's connection: the engine prepares the target side, the recording and the audit
    /// log say it opened, and the channel is attached to its session so ending the session closes it.
    func open(_ tunnel: AdmittedTunnel, client: any Channel) async throws(BrokerError) -> OpenedTunnel {
        let connection = tunnel.recorder.newConnection()
        let peer = client.remoteAddress.map { "\($0.ipAddress ?? "unix"):\($0.port ?? 0)" } ?? "unknown"
        let prepared: any PreparedConnection
        do {
            prepared = try await engines.engine(for: tunnel.resource.type).prepare(
                tunnel,
                connection: connection,
                eventLoop: client.eventLoop,
                reporter: ConnectionReporter(sessions: sessions, tunnel: tunnel, connection: connection)
            )
        } catch {
            try await sessions.recordConnection(
                .connectionError, tunnel, .error,
                ["connection": .int(connection), "code": .string(error.code), "message": .string(error.message)]
            )
            throw error
        }
        do {
            try tunnel.recorder.record(kind: .open, conn: connection, details: ["peer": .string(peer)])
            try await sessions.recordConnection(
                .connectionOpen, tunnel, .allow,
                ["connection": .int(connection), "peer": .string(peer), "via": .string(tunnel.entry.rawValue)]
            )
        } catch let error as BrokerError {
            prepared.abandon()
            throw error
        } catch {
            prepared.abandon()
            throw BrokerError(
                .unavailable,
                code: "recording_unavailable",
                message: "the broker cannot record this session, so it refuses the connection: \(error)"
            )
        }
        guard await sessions.attach(client, to: tunnel.session.id) else {
            prepared.abandon()
            throw BrokerError(.forbidden, code: "session_ended", message: "the session ended while connecting")
        }
        return OpenedTunnel(tunnel: tunnel, connection: connection, prepared: prepared)
    }

    /// Accounts for a finished connection: recording `close`, audit `connection.close`, traffic totals.
    func close(_ opened: OpenedTunnel, client: any Channel) async {
        let counts = await opened.prepared.finished()
        try? await client.closeFuture.get()
        await sessions.detach(client, from: opened.tunnel.session.id)
        let details: JSONValue = [
            "connection": .int(opened.connection), "bytes_up": .int(Int64(counts.up)),
            "bytes_down": .int(Int64(counts.down)),
        ]
        do {
            try opened.tunnel.recorder.record(kind: .close, conn: opened.connection, details: details)
        } catch {
            logger.debug("recording already closed", metadata: ["error": "\(error)"])
        }
        try? await sessions.recordConnection(.connectionClose, opened.tunnel, .info, details)
        await sessions.addTraffic(opened.tunnel.session.id, bytesUp: counts.up, bytesDown: counts.down)
        Counter(label: "hoop_tunnel_connections_total", dimensions: [("type", opened.tunnel.resource.type.rawValue)])
            .increment()
        Counter(label: "hoop_tunnel_bytes_total", dimensions: [("direction", "up")]).increment(by: counts.up)
        Counter(label: "hoop_tunnel_bytes_total", dimensions: [("direction", "down")]).increment(by: counts.down)
    }
}

/// An admitted connection whose target side is ready.
struct OpenedTunnel: Sendable {
    var tunnel: AdmittedTunnel
    var connection: Int64
    var prepared: any PreparedConnection
}
