import HoopCore
import Masking
import MySQLWire
import NIOCore
import NIOPosix
import SQLAnalysis

/// One client connection of a `mysql` resource: the front door until the session is live, then the packet relay.
final class MySQLConnection: PreparedConnection, @unchecked Sendable {
    // Mutated only on the client channel's event loop, which the target channel shares.
    private let tunnel: AdmittedTunnel
    private let connection: Int64
    private let engine: MySQLEngine
    private let reporter: ConnectionReporter
    private let traffic = TrafficCounters()
    private let closed: EventLoopPromise<Void>
    private var target: (any Channel)?
    private var connector: MySQLTargetConnector?
    private var eventLoop: (any EventLoop)?
    /// The connection id the client was given, mapped to the target thread for KILL.
    private var clientID: UInt32?
    /// The guarded resource's gate, once the relay runs; a KILL QUERY for this connection withdraws what it holds.
    private var gate: GuardrailGate?
    private lazy var masker = tunnel.masker(from: engine.maskers)
    private var provenance: MySQLColumnProvenance?
    /// What the server reports about how it reads statements, for the judge; shared by both directions.
    private let modes = MySQLSessionModes()

    init(tunnel: AdmittedTunnel, connection: Int64, engine: MySQLEngine, reporter: ConnectionReporter) {
        self.tunnel = tunnel
        self.connection = connection
        self.engine = engine
        self.reporter = reporter
        closed = MultiThreadedEventLoopGroup.singleton.any().makePromise()
    }

    var settings: MySQLTarget? { tunnel.resource.mysql }

    func attach(client: any Channel) throws {
        eventLoop = client.eventLoop
        try client.pipeline.syncOperations.addHandlers([
            traffic.client,
            ByteToMessageHandler(MySQLPacketDecoder()),
            CoalescingMessageEncoder(MySQLPacketEncoder()),
            MySQLFrontDoorHandler(
                door: MySQLFrontDoor(
                    sessionPassword: tunnel.clientPassword ?? "",
                    allowLocalInfile: settings?.allowLocalInfile ?? false),
                connection: self),
        ])
        client.closeFuture.whenComplete { _ in
            self.target?.close(promise: nil)
            if let id = self.clientID { self.engine.connectionIDs.release(id) }
            self.closed.succeed(())
        }
    }

    func abandon() {
        closed.succeed(())
    }

    func finished() async -> TrafficCounts {
        await traffic.counts(when: closed.futureResult, on: eventLoop) { self.target }
    }

    /// Dials the target and reads its greeting; the client is greeted in its name.
    func greetTarget(client: any Channel) -> EventLoopFuture<(greeting: MySQLHandshakeV10, clientID: UInt32)> {
        let loop = client.eventLoop
        guard let settings else {
            return loop.makeFailedFuture(MySQLTargetLoginFailure("the resource has no target settings"))
        }
        let address = tunnel.resource.address
        let dialed = TargetDial.paused(address, on: loop)
            .flatMapError { error -> EventLoopFuture<any Channel> in
                loop.makeFailedFuture(
                    MySQLTargetLoginFailure(
                        "cannot reach \(self.tunnel.resource.name) at \(address): \(ConnectFailure.describe(error))"))
            }
            .flatMap { target -> EventLoopFuture<(MySQLHandshakeV10, MySQLTargetConnector)> in
                self.target = target
                target.closeFuture.whenComplete { _ in client.close(promise: nil) }
                do {
                    try target.pipeline.syncOperations.addHandler(self.traffic.target, position: .first)
                } catch {
                    return loop.makeFailedFuture(error)
                }
                return MySQLTargetConnector.greet(target, settings: settings, host: address.host)
            }
            .map { greeting, connector -> (greeting: MySQLHandshakeV10, clientID: UInt32) in
                self.connector = connector
                let id = self.engine.connectionIDs.reserve(sessionID: self.tunnel.session.id)
                self.clientID = id
                return (greeting, id)
            }
        let greeted = TargetDial.bounded(dialed, waitingFor: "its greeting", on: loop) { self.target }
        greeted.whenFailure { error in self.reporter.error(code: "target_login_failed", message: "\(error)") }
        return greeted
    }

    /// Completes the broker's login to the target with what the client negotiated, then reads where the column
    /// rules live.
    func loginToTarget(_ request: MySQLClientRequest) -> EventLoopFuture<MySQLTargetSession> {
        let loop = eventLoop ?? MultiThreadedEventLoopGroup.singleton.any()
        guard let settings, let connector, let target else {
            return loop.makeFailedFuture(MySQLTargetLoginFailure("the target connection is gone"))
        }
        let password: String
        do {
            password = try settings.password.resolve()
        } catch {
            let failure = MySQLTargetLoginFailure("the broker cannot read the target's password: \(error)")
            reporter.error(code: "target_login_failed", message: failure.description)
            return loop.makeFailedFuture(failure)
        }
        let login = MySQLClientLogin(
            username: settings.username,
            password: password,
            database: request.database ?? settings.database,
            tls: settings.tls.mysql,
            characterSet: request.characterSet,
            attributes: request.attributes,
            capabilities: request.capabilities
        )
        modes.characterSet(id: request.characterSet)
        let answered = connector.login(login).flatMap { session in
            self.resolveColumnRules(on: target, capabilities: session.capabilities).map { session }
        }.flatMap { session in
            self.readSessionModes(on: target, capabilities: session.capabilities).map { session }
        }
        let session = TargetDial.bounded(answered, waitingFor: "the login", on: loop) { target }
        session.whenFailure { error in self.reporter.error(code: "target_login_failed", message: "\(error)") }
        session.whenSuccess { session in
            guard let id = self.clientID else { return }
            let loop = self.eventLoop
            self.engine.connectionIDs.bind(
                id,
                to: .init(sessionID: self.tunnel.session.id, threadID: session.connectionID) {
                    loop?.execute { self.gate?.clientCancelled() }
                })
        }
        return session
    }

    /// Reads which base tables exist before the client gets the connection; a failure refuses the session rather
    /// than run it without its column rules.
    private func resolveColumnRules(on target: any Channel, capabilities: MySQLCapabilities) -> EventLoopFuture<Void> {
        guard let masker, !masker.policy.columns.isEmpty else { return target.eventLoop.makeSucceededVoidFuture() }
        let query = MySQLColumnProvenance.catalogQuery
        return MySQLCatalogReader.rows(of: query, on: target, capabilities: capabilities).flatMapThrowing { rows in
            self.provenance = try MySQLColumnProvenance(rows: rows)
        }
    }

    /// On a guarded resource, learns how the server reads statements before the client sends any: `sql_mode` (which
    /// holds ANSI_QUOTES, reported nowhere else) and the client character set, and asks the server to report later
    /// changes of `sql_mode` in session-state tracking, so the judge follows them instead of reading both ways.
    private func readSessionModes(on target: any Channel, capabilities: MySQLCapabilities) -> EventLoopFuture<Void> {
        guard !tunnel.resource.guardrails.isEmpty else { return target.eventLoop.makeSucceededVoidFuture() }
        let query = "SELECT @@SESSION.sql_mode, @@SESSION.character_set_client"
        let read = MySQLCatalogReader.rows(of: query, on: target, capabilities: capabilities).map { rows in
            if let row = rows.first, row.count == 2 {
                if let mode = row[0] { self.modes.sqlModeReported(mode) }
                if let charset = row[1] { self.modes.characterSetReported(charset) }
            }
        }
        guard capabilities.contains(.sessionTrack) else { return read }
        let track =
            "SET SESSION session_track_system_variables = "
            + "CONCAT(@@SESSION.session_track_system_variables, ',sql_mode,character_set_client')"
        return read.flatMap {
            MySQLCatalogReader.rows(of: track, on: target, capabilities: capabilities).map { _ in }
        }
    }

    /// Replaces the front door with the relay: from here on every packet passes the shared stages.
    func startRelay(
        client: any Channel, frontDoor: ChannelHandlerContext, session: MySQLTargetSession, nonce: [UInt8]
    ) throws {
        guard let target else { throw MySQLTargetLoginFailure("no target connection") }
        let guardrails = tunnel.resource.guardrails
        let gate =
            guardrails.isEmpty
            ? nil : GuardrailGate(tunnel: tunnel, connection: connection, sessions: reporter.sessions)
        self.gate = gate
        modes.serverStatus(session.statusFlags.rawValue)
        let conversation = MySQLConversation(capabilities: session.capabilities)
        let statements = MySQLStatementStage(
            recorder: tunnel.recorder,
            connection: connection,
            conversation: conversation,
            judge: StatementJudge(rules: guardrails, dialect: .mysql, mysqlModes: modes),
            gate: gate,
            eventLoop: client.eventLoop,
            masker: masker,
            connectionIDs: engine.connectionIDs,
            modes: modes,
            sessionID: tunnel.session.id,
            login: (tunnel.clientPassword ?? "", nonce),
            logger: engine.logger
        )
        let results = MySQLResultStage(
            recorder: tunnel.recorder,
            connection: connection,
            rowLimit: tunnel.resource.recordRows,
            conversation: conversation,
            masker: masker.map { MySQLResultMasker(masker: $0, provenance: provenance) },
            reporter: reporter,
            modes: modes,
            allowLocalInfile: settings?.allowLocalInfile ?? false,
            logger: engine.logger
        )
        let (fromClient, fromTarget) = RelayHandler<MySQLPacket, MySQLPacket>.matchedPair(statements, results)
        try client.pipeline.syncOperations.addHandler(fromClient, position: .after(frontDoor.handler))
        if let gate {
            try client.pipeline.syncOperations.addHandler(ClientDeparture(gate: gate), position: .first)
        }
        try target.pipeline.syncOperations.addHandler(fromTarget)
        client.pipeline.syncOperations.removeHandler(context: frontDoor, promise: nil)
        target.setOption(.autoRead, value: true).whenFailure { _ in target.close(promise: nil) }
        target.read()
    }
}

extension TargetTLSMode {
    /// The same choice in the MySQL codec's terms.
    var mysql: MySQLTLSMode {
        switch self {
        case .disable: .disable
        case .prefer: .prefer
        case .require: .require
        case .verifyFull: .verifyFull
        }
    }
}
