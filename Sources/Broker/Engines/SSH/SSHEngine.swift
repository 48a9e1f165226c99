import HoopCore
import Logging
import Masking
import NIOCore
import NIOPosix
import NIOSSH

/// Terminates SSH on both sides. Toward the client the broker is an SSH server with its own host key, whose login
/// is the session's password; toward the target it is an SSH client that verifies the target's host key and logs in
/// with the credential it holds. Each channel the client opens is relayed to a channel the broker opens on the
/// target (`SSHChannelSplice`), where the resource's rules, the command judge and the recording apply.
struct SSHEngine: ProtocolEngine {
    let logger: Logger
    let hostKey: SSHHostKey
    let judge: any SSHCommandJudge
    /// One masker per resource with a `masking:` policy, applied to what targets send back.
    var maskers: [String: ValueMasker] = [:]

    /// OpenSSH logs in as `hoop` with the session's password, and pins the broker's host key that comes with it.
    func clientLogin(for resource: ResourceConfig) -> SessionCredentials? {
        SessionCredentials(
            user: SessionPassword.user, password: SessionPassword.generate(), database: nil,
            hostKey: hostKey.publicKeyText)
    }

    /// Logs in to the target before the tunnel is accepted, so a wrong host key or a refused login is told to the
    /// client (and audited) as a refusal with the reason.
    func prepare(
        _ tunnel: AdmittedTunnel,
        connection: Int64,
        eventLoop: any EventLoop,
        reporter: ConnectionReporter
    ) async throws(BrokerError) -> any PreparedConnection {
        let resource = tunnel.resource
        guard let settings = resource.ssh else {
            throw BrokerError(
                .internalFailure, code: "resource_misconfigured", message: "\(resource.name) has no SSH settings")
        }
        let prepared = PreparedSSHConnection(
            tunnel: tunnel,
            connection: connection,
            settings: settings,
            engine: self,
            eventLoop: eventLoop,
            judge: tunnel.resource.guardrails.isEmpty
                ? judge
                : SSHGuardrailJudge(
                    commands: CommandJudge(
                        rules: tunnel.resource.guardrails, unreadable: settings.unreadableCommands),
                    guardrails: GuardrailGate(tunnel: tunnel, connection: connection, sessions: reporter.sessions)
                ),
            reporter: reporter
        )
        do {
            try await prepared.connectTarget()
        } catch {
            throw BrokerError(
                .badGateway,
                code: error.code,
                message: "cannot open an SSH session on \(resource.name) at \(resource.address): \(error)",
                hint: Self.hint(for: error)
            )
        }
        return prepared
    }

    private static func hint(for error: SSHTargetError) -> String {
        switch error {
        case .hostKey:
            "the target's host key changed or the resource's host_key/known_hosts_file is wrong; "
                + "the broker operator must check which"
        case .credentials, .loginRefused, .methodUnavailable:
            "the broker's login at the target does not work; the broker operator can check its key or password"
        case .unreachable, .closed, .protocolFailure:
            "the target may be down; the broker operator can check it"
        }
    }
}

/// One client connection: the broker's logged-in session on the target, and once attached, the broker's SSH server
/// on the client's tunnel. Channels and forwarding requests are paired across the two.
final class PreparedSSHConnection: PreparedConnection, @unchecked Sendable {
    // After `connectTarget` returns, everything is touched only on `eventLoop`, which both connections share.
    private let tunnel: AdmittedTunnel
    private let connection: Int64
    private let settings: SSHTarget
    private let engine: SSHEngine
    private let eventLoop: any EventLoop
    private let traffic = TrafficCounters()
    private var target: (any Channel)?
    private var client: (any Channel)?
    /// The resource's guardrails for this connection, or the engine's judge when it has none.
    private let judge: any SSHCommandJudge
    private let reporter: ConnectionReporter

    init(
        tunnel: AdmittedTunnel,
        connection: Int64,
        settings: SSHTarget,
        engine: SSHEngine,
        eventLoop: any EventLoop,
        judge: any SSHCommandJudge,
        reporter: ConnectionReporter
    ) {
        self.judge = judge
        self.reporter = reporter
        self.tunnel = tunnel
        self.connection = connection
        self.settings = settings
        self.engine = engine
        self.eventLoop = eventLoop
    }

    func connectTarget() async throws(SSHTargetError) {
        let channel = try await SSHTargetConnector.connect(
            address: tunnel.resource.address,
            settings: settings,
            on: eventLoop,
            counter: traffic.target,
            inboundChannel: { child, type in self.targetOpened(child, type) }
        )
        try? await eventLoop.submit { self.target = channel }.get()
    }

    func attach(client: any Channel) throws {
        guard let target else { throw SSHTargetError.closed }
        self.client = client
        let server = NIOSSHHandler(
            role: .server(
                SSHServerConfiguration(
                    hostKeys: [engine.hostKey.privateKey],
                    userAuthDelegate: SSHSessionPasswordCheck(sessionPassword: tunnel.clientPassword ?? ""),
                    globalRequestDelegate: SSHForwardingRequests(connection: self)
                )
            ),
            allocator: client.allocator,
            inboundChildChannelInitializer: { child, type in self.clientOpened(child, type) }
        )
        try client.pipeline.syncOperations.addHandlers([
            traffic.client, server, SSHConnectionFailureHandler(logger: engine.logger),
        ])
        if let gate = judge.gate {
            // A command held for approval is withdrawn, and never runs, once its client has gone.
            try client.pipeline.syncOperations.addHandler(ClientDeparture(gate: gate), position: .first)
        }
        client.closeFuture.whenComplete { _ in target.close(promise: nil) }
        target.closeFuture.whenComplete { _ in client.close(promise: nil) }
        if !client.isActive { target.close(promise: nil) }
    }

    func abandon() {
        eventLoop.execute { self.target?.close(promise: nil) }
    }

    func finished() async -> TrafficCounts {
        let target = try? await eventLoop.submit { self.target }.get()
        return await traffic.counts(after: target ?? nil, on: eventLoop)
    }

    // MARK: Channels

    /// The client opens a channel: the broker opens the same kind on the target and joins the two. The client's
    /// channel is confirmed only once the target's is, so a target refusal reaches the client as an open failure.
    private func clientOpened(_ child: any Channel, _ type: SSHChannelType) -> EventLoopFuture<Void> {
        let channel = (try? child.syncOptions?.getOption(SSHChildChannelOptions.localChannelIdentifier)) ?? 0
        let recording = SSHChannelRecorder(recorder: tunnel.recorder, connection: connection, channel: channel)
        switch type {
        case .session:
            break
        case .directTCPIP(let forward):
            var details: [String: JSONValue] = [
                "host": .string(forward.targetHost), "port": .int(Int64(forward.targetPort)),
            ]
            if !settings.allowPortForwarding { details["refused"] = "port forwarding is off for this resource" }
            do {
                try recording.request("direct-tcpip", details)
            } catch {
                abortSession()
                return child.eventLoop.makeFailedFuture(error)
            }
            guard settings.allowPortForwarding else {
                return child.eventLoop.makeFailedFuture(SSHChannelRefusal.portForwardingOff)
            }
        case .forwardedTCPIP:
            return child.eventLoop.makeFailedFuture(SSHChannelRefusal.notFromClients)
        }
        guard let targetSSH = sshHandler(on: target) else {
            return child.eventLoop.makeFailedFuture(SSHTargetError.closed)
        }
        let clientEnd = SSHChannelEnd(side: .client)
        let targetEnd = SSHChannelEnd(side: .target)
        let opened = child.eventLoop.makePromise(of: (any Channel).self)
        targetSSH.createChannel(opened, channelType: type) { targetChild, _ in
            targetChild.eventLoop.makeCompletedFuture {
                try targetChild.syncOptions?.setOption(ChannelOptions.allowRemoteHalfClosure, value: true)
                try targetChild.pipeline.syncOperations.addHandler(targetEnd)
            }
        }
        return opened.futureResult.assumeIsolated().flatMapThrowing { _ in
            try child.syncOptions?.setOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            try child.pipeline.syncOperations.addHandler(clientEnd)
            self.splice(clientEnd, targetEnd, recording: recording)
        }.nonisolated()
    }

    /// The target opens a channel toward the client: only forwarded ports, and only where forwarding is allowed.
    private func targetOpened(_ child: any Channel, _ type: SSHChannelType) -> EventLoopFuture<Void> {
        guard case .forwardedTCPIP = type, settings.allowPortForwarding, let clientSSH = sshHandler(on: client) else {
            return child.eventLoop.makeFailedFuture(SSHChannelRefusal.notFromClients)
        }
        let clientEnd = SSHChannelEnd(side: .client)
        let targetEnd = SSHChannelEnd(side: .target)
        let opened = child.eventLoop.makePromise(of: (any Channel).self)
        clientSSH.createChannel(opened, channelType: type) { clientChild, _ in
            clientChild.eventLoop.makeCompletedFuture {
                try clientChild.syncOptions?.setOption(ChannelOptions.allowRemoteHalfClosure, value: true)
                try clientChild.pipeline.syncOperations.addHandler(clientEnd)
            }
        }
        return opened.futureResult.assumeIsolated().flatMapThrowing { clientChild in
            try child.syncOptions?.setOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            try child.pipeline.syncOperations.addHandler(targetEnd)
            let channel = (try? clientChild.syncOptions?.getOption(SSHChildChannelOptions.localChannelIdentifier)) ?? 0
            let recording = SSHChannelRecorder(
                recorder: self.tunnel.recorder, connection: self.connection, channel: channel)
            try recording.request("forwarded-tcpip", [:])
            self.splice(clientEnd, targetEnd, recording: recording)
        }.nonisolated()
    }

    private func splice(_ clientEnd: SSHChannelEnd, _ targetEnd: SSHChannelEnd, recording: SSHChannelRecorder) {
        let session = tunnel.session
        _ = SSHChannelSplice(
            client: clientEnd,
            target: targetEnd,
            eventLoop: eventLoop,
            recording: recording,
            rules: SSHChannelRules(
                resource: tunnel.resource.name,
                allowShell: settings.allowShell,
                allowSFTP: settings.allowSFTP,
                environment: settings.allowEnv
            ),
            judge: judge,
            request: SSHCommandRequest(
                action: .exec(""),
                session: session.id,
                resource: session.resource,
                actor: session.email ?? session.subject,
                connection: connection,
                channel: recording.channel
            ),
            logger: engine.logger,
            masking: tunnel.masker(from: engine.maskers).map { SSHOutputMasking(masker: $0, reporter: reporter) },
            abortSession: { self.abortSession() },
            auditRefusal: { details in self.auditRefusal(details) }
        )
    }

    // MARK: Forwarding requests

    func forwardingRequested(
        _ request: GlobalRequest.TCPForwardingRequest,
        promise: EventLoopPromise<GlobalRequest.TCPForwardingResponse>
    ) {
        let details: JSONValue
        switch request {
        case .listen(let host, let port):
            details = ["protocol": "ssh", "request": "tcpip-forward", "host": .string(host), "port": .int(Int64(port))]
        case .cancel(let host, let port):
            details = [
                "protocol": "ssh", "request": "cancel-tcpip-forward", "host": .string(host), "port": .int(Int64(port)),
            ]
        }
        do {
            var recorded = details
            if !settings.allowPortForwarding, case .object(var object) = details {
                object["refused"] = "port forwarding is off for this resource"
                recorded = .object(object)
            }
            try tunnel.recorder.record(kind: .query, conn: connection, dir: .up, details: recorded)
        } catch {
            promise.fail(error)
            abortSession()
            return
        }
        guard settings.allowPortForwarding, let targetSSH = sshHandler(on: target) else {
            promise.fail(SSHChannelRefusal.portForwardingOff)
            return
        }
        let answer = eventLoop.makePromise(of: GlobalRequest.TCPForwardingResponse?.self)
        targetSSH.sendTCPForwardingRequest(request, promise: answer)
        answer.futureResult.map { $0 ?? GlobalRequest.TCPForwardingResponse(boundPort: nil) }.cascade(to: promise)
    }

    // MARK: Helpers

    private func sshHandler(on channel: (any Channel)?) -> NIOSSHHandler? {
        try? channel?.pipeline.syncOperations.handler(type: NIOSSHHandler.self)
    }

    /// A `statement.block` event for a request the relay refused itself; if it cannot be written, the connection
    /// ends, as for a guardrail decision.
    private func auditRefusal(_ details: JSONValue) {
        let sessions = reporter.sessions
        let tunnel = tunnel
        let eventLoop = eventLoop
        Task {
            do {
                try await sessions.recordConnection(.statementBlock, tunnel, .deny, details)
            } catch {
                eventLoop.execute { self.abortSession() }
            }
        }
    }

    /// Fail closed: both connections stop.
    private func abortSession() {
        client?.close(promise: nil)
        target?.close(promise: nil)
    }
}

/// Why the broker would not open a channel; the client sees an open failure.
enum SSHChannelRefusal: Error, Sendable, CustomStringConvertible {
    case portForwardingOff
    case notFromClients

    var description: String {
        switch self {
        case .portForwardingOff: "port forwarding is off for this resource"
        case .notFromClients: "this kind of channel is not relayed"
        }
    }
}

/// Ends a client connection whose SSH layer failed (a client that cannot authenticate, a corrupt packet), after
/// logging why, or whose client stopped sending: SSH has no use for a half-closed connection, and the tunnel allows
/// half-closure, so without this a vanished client would hold its target session open.
private final class SSHConnectionFailureHandler: ChannelInboundHandler {
    typealias InboundIn = Never

    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("ssh connection failed", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }
}
