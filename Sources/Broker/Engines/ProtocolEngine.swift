import HoopCore
import NIOCore

/// The protocol-specific part of a tunnel connection. `prepare` runs before the client is told the upgrade
/// succeeded, so an unreachable or misbehaving target becomes a precise HTTP error rather than a dropped socket;
/// `attach` then wires the client channel into the engine's pipeline.
protocol ProtocolEngine: Sendable {
    /// The login local clients present on the forwarded port, issued once per session; nil for protocols that
    /// have none (their port is guarded by the local user check alone).
    func clientLogin(for resource: ResourceConfig) -> SessionCredentials?

    func prepare(
        _ tunnel: AdmittedTunnel,
        connection: Int64,
        eventLoop: any EventLoop,
        reporter: ConnectionReporter
    ) async throws(BrokerError) -> any PreparedConnection
}

extension ProtocolEngine {
    func clientLogin(for resource: ResourceConfig) -> SessionCredentials? { nil }
}

/// Lets an engine report a failure that happens inside the protocol, after the upgrade (a target that refuses the
/// broker's login, say), so it is audited like the failures the gate sees itself.
struct ConnectionReporter: Sendable {
    let sessions: SessionManager
    let tunnel: AdmittedTunnel
    let connection: Int64

    func error(code: String, message: String) {
        Task { try? await record(.connectionError, .error, ["code": .string(code), "message": .string(message)]) }
    }

    /// A statement's result had values masked: which detectors and columns fired, and how often.
    func masked(_ counts: JSONValue) {
        Task { try? await record(.maskingApplied, .info, ["masked": counts]) }
    }

    /// Writes one audit event about this connection, its number added to `details`; an error means it was not
    /// written.
    func record(_ action: AuditAction, _ decision: AuditDecision, _ details: [String: JSONValue])
        async throws(BrokerError)
    {
        var details = details
        details["connection"] = .int(connection)
        try await sessions.recordConnection(action, tunnel, decision, .object(details))
    }
}

/// One client connection whose target side is ready.
protocol PreparedConnection: Sendable {
    /// Installs the engine's handlers on the upgraded client channel. Called on the client channel's event loop.
    func attach(client: any Channel) throws
    /// Closes whatever `prepare` opened, when the upgrade does not go ahead.
    func abandon()
    /// Waits until the target side is closed (the relay closes it when the client goes), then reports what
    /// crossed the connection.
    func finished() async -> TrafficCounts
}

/// Bytes relayed by one connection: `up` from client to target, `down` from target to client.
struct TrafficCounts: Sendable, Equatable {
    var up: Int
    var down: Int
}
