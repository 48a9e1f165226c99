import HoopCore
import NIOCore
import PostgresWire

/// `hoopctl exec` on `postgres` resources speaks the PostgreSQL protocol through `PostgresExecHandler`.
struct PostgresExecDriver: SQLExecDriver {
    var type: ResourceType { .postgres }

    func install(
        on channel: any Channel, credentials: SessionCredentials, sql: String,
        results: EventLoopPromise<[SQLStatementResult]>, onHeld: @escaping @Sendable (Int64) -> Void
    ) throws -> @Sendable () -> Void {
        let handler = PostgresExecHandler(
            user: credentials.user, password: credentials.password, database: credentials.database, sql: sql,
            promise: results, onHeld: onHeld)
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(PostgresBackendDecoder()),
            MessageToByteHandler(PostgresFrontendEncoder()),
            handler,
        ])
        return { handler.start() }
    }
}

/// A minimal PostgreSQL client for `exec`: logs in with the session's credentials, sends the SQL as one simple
/// query (so several statements run as the server would run them from psql -c), collects each statement's result,
/// and says goodbye. The broker sees an ordinary client, so its whole pipeline applies.
final class PostgresExecHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = PostgresBackendMessage
    typealias OutboundOut = PostgresFrontendMessage

    private enum State {
        case loggingIn
        case running
        case done
    }

    // Touched only on the channel's event loop.
    private let user: String
    private let password: String
    private let database: String?
    private let sql: String
    private var results: SQLExecResults
    /// Called when the broker says a statement is held for approval (the request id).
    private let onHeld: @Sendable (Int64) -> Void
    private var state = State.loggingIn

    init(
        user: String,
        password: String,
        database: String?,
        sql: String,
        promise: EventLoopPromise<[SQLStatementResult]>,
        onHeld: @escaping @Sendable (Int64) -> Void
    ) {
        self.onHeld = onHeld
        self.user = user
        self.password = password
        self.database = database
        self.sql = sql
        self.results = SQLExecResults(promise: promise)
    }

    private var context: ChannelHandlerContext?

    /// Installed while the HTTP upgrade is still finishing, so it waits for `start` rather than writing at once.
    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Sends the startup message; call on the channel's event loop once the tunnel is upgraded.
    func start() {
        guard let context else { return }
        var parameters: [PostgresFrontendMessage.StartupMessage.Parameter] = [
            .init(name: "user", value: user), .init(name: "application_name", value: "hoopctl exec"),
            .init(name: "client_encoding", value: "UTF8"),
        ]
        if let database { parameters.append(.init(name: "database", value: database)) }
        context.writeAndFlush(
            wrapOutboundOut(.startup(.init(protocolVersion: .v3_0, parameters: parameters))), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (state, unwrapInboundIn(data)) {
        case (.loggingIn, .authentication(.cleartextPassword)):
            guard let message = try? PostgresPasswordFamilyMessage.password(password).message() else {
                fail(context, code: .invalidPassword, message: "the session password cannot be sent")
                return
            }
            context.writeAndFlush(wrapOutboundOut(message), promise: nil)
        case (_, .noticeResponse(let notice)):
            if notice.sqlState == .approvalWaiting, let id = notice.detail.flatMap({ Int64($0) }) {
                onHeld(id)
            }
        case (.loggingIn, .authentication(.ok)), (_, .parameterStatus), (_, .backendKeyData),
            (_, .notificationResponse):
            break
        case (.loggingIn, .readyForQuery):
            state = .running
            context.writeAndFlush(wrapOutboundOut(.query(sql)), promise: nil)
        case (.loggingIn, .errorResponse(let diagnostic)):
            fail(
                context, code: diagnostic.sqlState ?? .connectionException,
                message: diagnostic.message ?? "login failed")
        case (.running, .rowDescription(let fields)):
            results.beginRows(columns: fields.map(\.name))
        case (.running, .dataRow(let cells)):
            results.addRow(Array(cells))
        case (.running, .commandComplete(let tag)):
            results.finishStatement(tag: tag, error: nil)
        case (.running, .emptyQueryResponse):
            results.finishStatement(tag: "", error: nil)
        case (.running, .errorResponse(let diagnostic)):
            let error = SQLError(
                code: (diagnostic.sqlState ?? .internalError).rawValue,
                message: diagnostic.message ?? "error",
                detail: diagnostic.detail
            )
            results.finishStatement(tag: nil, error: error)
        case (.running, .readyForQuery):
            state = .done
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.terminate)).whenComplete { _ in channel.close(promise: nil) }
            results.succeed()
        case (.running, .copyInResponse), (.running, .copyOutResponse), (.running, .copyBothResponse):
            fail(
                context, code: .featureNotSupported,
                message: "COPY is not supported by exec; use `hoopctl connect` and psql")
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if state != .done {
            state = .done
            results.fail(code: .connectionFailure, message: "the broker closed the connection")
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context, code: .protocolViolation, message: "unreadable answer: \(error)")
    }

    private func fail(_ context: ChannelHandlerContext, code: SQLState, message: String) {
        guard state != .done else { return }
        state = .done
        results.fail(code: code, message: message)
        context.close(promise: nil)
    }
}
