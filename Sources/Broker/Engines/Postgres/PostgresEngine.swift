import HoopCore
import Logging
import Masking
import NIOCore
import NIOPosix
import PostgresWire
import SQLAnalysis

/// Terminates the PostgreSQL protocol on both sides: local clients log in with the session's own password, the
/// broker logs in to the target with credentials it holds, and every message then passes the shared relay stages
/// (statements recorded before they are forwarded, results recorded as the client saw them).
struct PostgresEngine: ProtocolEngine {
    let logger: Logger
    /// One masker per resource with a `masking:` policy, built once at start.
    let maskers: [String: ValueMasker]
    let cancelKeys = PostgresCancelKeys()

    /// psql and drivers log in as `hoop` with the session's password; the database shown is the resource's. On a
    /// resource with direct mode the user name is the session's own, since on the broker's direct listener the name
    /// is what finds the session (the loopback port ignores it).
    func clientLogin(for resource: ResourceConfig) -> SessionCredentials? {
        SessionCredentials(
            user: resource.allowsDirect ? SessionPassword.directUser() : SessionPassword.user,
            password: SessionPassword.generate(),
            database: resource.postgres?.database)
    }

    /// Nothing is dialled yet: the target is reached once the client has logged in, so that a dead target or a
    /// refused broker login reaches the client as a PostgreSQL error it can show, not as a dropped connection.
    func prepare(
        _ tunnel: AdmittedTunnel,
        connection: Int64,
        eventLoop: any EventLoop,
        reporter: ConnectionReporter
    ) async throws(BrokerError) -> any PreparedConnection {
        PreparedPostgresConnection(tunnel: tunnel, connection: connection, engine: self, reporter: reporter)
    }
}

/// One client connection: the front door until the session is live, then the message relay.
private final class PreparedPostgresConnection: PreparedConnection, @unchecked Sendable {
    // Mutated only on the client channel's event loop, which the target channel shares.
    private let tunnel: AdmittedTunnel
    private let connection: Int64
    private let engine: PostgresEngine
    private let reporter: ConnectionReporter
    private let traffic = TrafficCounters()
    /// What the server reports about the client encoding, for the judge; shared by both directions.
    private let encodings = PostgresClientEncodingTracker()
    private let closed: EventLoopPromise<Void>
    private var target: (any Channel)?
    private var eventLoop: (any EventLoop)?
    private var clientKey: (processID: Int32, secretKey: ByteBuffer)?
    /// The guarded resource's gate, once the relay runs; a CancelRequest for this connection withdraws what it holds.
    private var gate: GuardrailGate?
    /// The session's masker (scoped key) and, when it has column rules, where they live in this target database.
    private lazy var masker = tunnel.masker(from: engine.maskers)
    private var provenance: PostgresColumnProvenance?

    init(tunnel: AdmittedTunnel, connection: Int64, engine: PostgresEngine, reporter: ConnectionReporter) {
        self.tunnel = tunnel
        self.connection = connection
        self.engine = engine
        self.reporter = reporter
        closed = MultiThreadedEventLoopGroup.singleton.any().makePromise()
    }

    func attach(client: any Channel) throws {
        eventLoop = client.eventLoop
        try client.pipeline.syncOperations.addHandlers([
            traffic.client,
            ByteToMessageHandler(PostgresFrontendDecoder()),
            CoalescingMessageEncoder(PostgresBackendEncoder()),
            PostgresFrontDoorHandler(
                door: PostgresFrontDoor(
                    sessionPassword: tunnel.clientPassword ?? "", loginProven: tunnel.loginProven),
                connection: self
            ),
        ])
        client.closeFuture.whenComplete { _ in
            self.target?.close(promise: nil)
            if let key = self.clientKey {
                self.engine.cancelKeys.revoke(processID: key.processID, secretKey: key.secretKey)
            }
            self.closed.succeed(())
        }
    }

    func abandon() {
        closed.succeed(())
    }

    func finished() async -> TrafficCounts {
        await traffic.counts(when: closed.futureResult, on: eventLoop) { self.target }
    }

    /// Dials the target and logs in with the held credentials and the client's session parameters.
    func loginToTarget(_ parameters: [PostgresFrontendMessage.StartupMessage.Parameter], client: any Channel)
        -> EventLoopFuture<PostgresTargetLogin.Session>
    {
        let loop = client.eventLoop
        guard let settings = tunnel.resource.postgres else {
            return loop.makeFailedFuture(PostgresTargetLoginError.connection("the resource has no target settings"))
        }
        // Settings chosen at login that would make the broker misread statements: a client-only encoding, or a
        // search path that moves unqualified names away from table rules.
        let guardrails = tunnel.resource.guardrails
        let watch = PostgresSessionWatch(guarded: !guardrails.isEmpty, encodings: encodings)
        if watch.guarded,
            let refusal = PostgresStartupSettings(parameters).refusal(
                tableRules: guardrails.contains(where: \.match.namesTables),
                roleRules: guardrails.contains { $0.match.classes.contains(SQLStatementClass.setRole.rawValue) })
        {
            return loop.makeFailedFuture(PostgresTargetLoginError.refused(refusal))
        }
        let password: String
        do {
            password = try settings.password.resolve()
        } catch {
            return report(loop.makeFailedFuture(PostgresTargetLoginError.credentials(error)))
        }
        let address = tunnel.resource.address
        let login = TargetDial.paused(address, on: loop)
            .flatMapError { error -> EventLoopFuture<any Channel> in
                loop.makeFailedFuture(
                    PostgresTargetLoginError.connection(
                        "cannot reach \(self.tunnel.resource.name) at \(address): \(ConnectFailure.describe(error))"
                    )
                )
            }
            .flatMap { target -> EventLoopFuture<PostgresTargetLogin.Session> in
                self.target = target
                target.closeFuture.whenComplete { _ in client.close(promise: nil) }
                do {
                    try target.pipeline.syncOperations.addHandler(self.traffic.target, position: .first)
                } catch {
                    return loop.makeFailedFuture(error)
                }
                return PostgresTargetConnector.login(
                    target: target,
                    settings: settings,
                    host: address.host,
                    password: password,
                    clientParameters: parameters
                )
                .flatMap { session in self.resolveColumnRules(on: target).map { session } }
            }
            .flatMapThrowing { session -> PostgresTargetLogin.Session in
                // The server's report is the truth: a role or database default can choose the encoding too.
                if let fatal = watch.check(session.parameters) {
                    throw PostgresTargetLoginError.refused(fatal)
                }
                return session
            }
        return report(TargetDial.bounded(login, waitingFor: "the login", on: loop) { self.target })
    }

    /// Reads where the column rules live before the client gets the connection; a failure refuses the session
    /// rather than run it without them.
    private func resolveColumnRules(on target: any Channel) -> EventLoopFuture<Void> {
        guard let masker, !masker.policy.columns.isEmpty else { return target.eventLoop.makeSucceededVoidFuture() }
        return PostgresCatalogReader.rows(
            of: PostgresColumnProvenance.catalogQuery(for: masker.policy.columns), on: target
        ).flatMapThrowing { rows in
            self.provenance = try PostgresColumnProvenance(rows: rows, masker: masker)
        }
    }

    /// Audits a failed target login; the front door tells the client.
    private func report(_ login: EventLoopFuture<PostgresTargetLogin.Session>)
        -> EventLoopFuture<PostgresTargetLogin.Session>
    {
        login.whenFailure { error in
            self.reporter.error(code: "target_login_failed", message: "\(error)")
        }
        return login
    }

    /// The key the client gets for this connection, mapped to the target's.
    func issueClientKey(for session: PostgresTargetLogin.Session) -> (Int32, ByteBuffer) {
        var target = PostgresCancelKeys.Target(
            sessionID: tunnel.session.id, processID: session.processID, secretKey: session.secretKey)
        if let loop = eventLoop {
            target.cancelHeld = { loop.submit { self.withdrawHeld() } }
        }
        let key = engine.cancelKeys.issue(for: target)
        clientKey = key
        return key
    }

    /// Withdraws the statement this connection holds for approval, if any; called on its event loop.
    private func withdrawHeld() -> Bool {
        gate?.clientCancelled() ?? false
    }

    /// Replaces the front door with the relay: from here on every message passes the shared stages.
    func startRelay(client: any Channel, frontDoor: ChannelHandlerContext) throws {
        guard let target else { throw PostgresTargetLoginError.connection("no target connection") }
        let clock = StatementClock()
        let refusals = PostgresRefusals()
        let guardrails = tunnel.resource.guardrails
        let flow = masker.map { _ in PostgresExtendedFlow() }
        let gate =
            guardrails.isEmpty
            ? nil : GuardrailGate(tunnel: tunnel, connection: connection, sessions: reporter.sessions)
        self.gate = gate
        let statements = PostgresStatementStage(
            recorder: tunnel.recorder,
            connection: connection,
            clock: clock,
            judge: StatementJudge(rules: guardrails, dialect: .postgres, encodings: encodings),
            gate: gate,
            refusals: refusals,
            eventLoop: client.eventLoop,
            masker: masker,
            flow: flow,
            logger: engine.logger
        )
        let results = PostgresResultStage(
            recorder: tunnel.recorder,
            connection: connection,
            rowLimit: tunnel.resource.recordRows,
            clock: clock,
            refusals: refusals,
            masker: masker.map { PostgresResultMasker(masker: $0, provenance: provenance, flow: flow) },
            reporter: reporter,
            watch: PostgresSessionWatch(guarded: !guardrails.isEmpty, encodings: encodings),
            logger: engine.logger
        )
        let (fromClient, fromTarget) = RelayHandler<PostgresFrontendMessage, PostgresBackendMessage>
            .matchedPair(statements, results)
        try client.pipeline.syncOperations.addHandler(fromClient, position: .after(frontDoor.handler))
        if let gate {
            try client.pipeline.syncOperations.addHandler(ClientDeparture(gate: gate), position: .first)
        }
        try target.pipeline.syncOperations.addHandler(fromTarget)
        client.pipeline.syncOperations.removeHandler(context: frontDoor, promise: nil)
        target.setOption(.autoRead, value: true).whenFailure { _ in target.close(promise: nil) }
        target.read()
    }

    /// Sends a client's CancelRequest to the target with the real key, if the key belongs to this session.
    /// PostgreSQL answers a cancel by closing the connection, so nothing is read back.
    func forwardCancel(processID: Int32, secretKey: ByteBuffer, client: any Channel) {
        let sessionID = tunnel.session.id
        guard let real = engine.cancelKeys.target(processID: processID, secretKey: secretKey, sessionID: sessionID)
        else {
            return
        }
        try? tunnel.recorder.record(kind: .query, conn: connection, dir: .up, details: ["cancel": true])
        let held = real.cancelHeld?() ?? client.eventLoop.makeSucceededFuture(false)
        held.hop(to: client.eventLoop).whenSuccess { withdrawn in
            if !withdrawn { self.sendCancel(to: real, on: client.eventLoop) }
        }
    }

    /// Opens a connection to the target only to deliver the CancelRequest with the target's key.
    private func sendCancel(to real: PostgresCancelKeys.Target, on loop: any EventLoop) {
        var request = ByteBuffer()
        request.writeInteger(Int32(12 + real.secretKey.readableBytes))
        request.writeInteger(Int32(80_877_102))
        request.writeInteger(real.processID)
        var key = real.secretKey
        request.writeBuffer(&key)
        let cancel = request
        TargetDial.paused(tunnel.resource.address, on: loop).whenSuccess { target in
            target.writeAndFlush(cancel).whenComplete { _ in target.close(promise: nil) }
        }
    }
}

/// Performs the front door's actions on the client channel.
private final class PostgresFrontDoorHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = PostgresFrontendMessage
    typealias OutboundOut = PostgresBackendMessage

    private var door: PostgresFrontDoor
    private let connection: PreparedPostgresConnection

    init(door: PostgresFrontDoor, connection: PreparedPostgresConnection) {
        self.door = door
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch door.received(unwrapInboundIn(data)) {
        case .sendRaw(let bytes):
            // Not a message: write below the encoder, from the decoder's place in the pipeline.
            if let decoder = try? context.pipeline.syncOperations.context(
                handlerType: ByteToMessageHandler<PostgresFrontendDecoder>.self
            ) {
                decoder.writeAndFlush(NIOAny(bytes), promise: nil)
            }
        case .send(let messages):
            for message in messages { context.write(wrapOutboundOut(message), promise: nil) }
            context.flush()
        case .loginToTarget(let parameters):
            connection.loginToTarget(parameters, client: context.channel).assumeIsolated().whenComplete { result in
                self.targetLoginFinished(context: context, result)
            }
        case .cancel(let processID, let secretKey):
            connection.forwardCancel(processID: processID, secretKey: secretKey, client: context.channel)
            context.close(promise: nil)
        case .refuse(let sqlState, let message):
            refuse(context, sqlState: sqlState, message: message)
        case .close:
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        refuse(
            context, sqlState: .protocolViolation, message: "the broker could not read the client's message: \(error)")
    }

    private func targetLoginFinished(
        context: ChannelHandlerContext, _ result: Result<PostgresTargetLogin.Session, any Error>
    ) {
        switch result {
        case .success(let session):
            let key = connection.issueClientKey(for: session)
            for message in door.targetReady(session, clientKey: key) {
                context.write(wrapOutboundOut(message), promise: nil)
            }
            context.flush()
            do {
                try connection.startRelay(client: context.channel, frontDoor: context)
            } catch {
                refuse(
                    context, sqlState: .systemError, message: "the broker could not start the session relay: \(error)")
            }
        case .failure(let error):
            refuse(
                context, sqlState: .connectionFailure, message: "the broker could not log in to the target: \(error)")
        }
    }

    private func refuse(_ context: ChannelHandlerContext, sqlState: SQLState, message: String) {
        RefusalClose.write(
            wrapOutboundOut(PostgresBackendMessage.fatal(sqlState: sqlState, message: message)), on: context)
    }
}
