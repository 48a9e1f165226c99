import Foundation
import HoopCore
import MySQLWire
import NIOCore
import PostgresWire

/// `hoopctl exec` on `mysql` resources speaks the MySQL protocol through `MySQLExecHandler`.
struct MySQLExecDriver: SQLExecDriver {
    var type: ResourceType { .mysql }

    func install(
        on channel: any Channel, credentials: SessionCredentials, sql: String,
        results: EventLoopPromise<[SQLStatementResult]>, onHeld: @escaping @Sendable (Int64) -> Void
    ) throws -> @Sendable () -> Void {
        let handler = MySQLExecHandler(
            user: credentials.user, password: credentials.password, database: credentials.database, sql: sql,
            promise: results)
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(MySQLPacketDecoder()),
            MessageToByteHandler(MySQLPacketEncoder()),
            handler,
        ])
        // The server speaks first: the handler starts when the broker's greeting arrives.
        return {}
    }
}

/// A minimal MySQL client for `exec`: logs in with the session's credentials (mysql_native_password, the plugin
/// the broker asks local clients for), sends the SQL as one COM_QUERY with multi-statements on (so several
/// statements run as `mysql -e` runs them), collects each result, and says goodbye. The broker sees an ordinary
/// client, so its whole pipeline applies.
///
/// Errors keep their SQLSTATE as the code and the server's error number in the detail, except the broker's
/// "approval pending" refusal, whose detail is the request id (as for PostgreSQL), so scripts read one shape.
final class MySQLExecHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = MySQLPacket
    typealias OutboundOut = MySQLPacket

    private enum State {
        case greeting
        case authenticating
        case running(MySQLResponseTracker)
        case done
    }

    /// What the client asks for, within what the broker offers.
    static let wanted: MySQLCapabilities = [
        .protocol41, .secureConnection, .pluginAuth, .pluginAuthLenencClientData, .multiStatements, .multiResults,
        .psMultiResults, .deprecateEOF, .transactions, .longPassword, .longFlag, .connectWithDB,
    ]

    // Touched only on the channel's event loop.
    private let user: String
    private let password: String
    private let database: String?
    private let sql: String
    private var results: SQLExecResults
    private var state = State.greeting
    private var capabilities: MySQLCapabilities = []

    init(
        user: String, password: String, database: String?, sql: String, promise: EventLoopPromise<[SQLStatementResult]>
    ) {
        self.user = user
        self.password = password
        self.database = database
        self.sql = sql
        self.results = SQLExecResults(promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let packet = unwrapInboundIn(data)
        do {
            switch state {
            case .greeting:
                try greeted(packet, context: context)
            case .authenticating:
                try authenticating(packet, context: context)
            case .running(var tracker):
                let meaning = try tracker.received(packet)
                state = .running(tracker)
                try running(meaning, idle: tracker.isIdle, context: context)
            case .done:
                break
            }
        } catch {
            fail(context, code: .protocolViolation, message: "unreadable answer: \(error)")
        }
    }

    private func greeted(_ packet: MySQLPacket, context: ChannelHandlerContext) throws {
        if packet.payload.readableBytesView.first == MySQLErrPacket.header {
            let error = try MySQLErrPacket(parsing: packet.payload)
            fail(context, code: SQLState(rawValue: error.sqlState), message: error.message)
            return
        }
        let greeting = try MySQLHandshakeV10(parsing: packet.payload)
        capabilities = Self.wanted.intersection(greeting.capabilities)
        if database == nil { capabilities.remove(.connectWithDB) }
        let response = MySQLHandshakeResponse41(
            capabilities: capabilities,
            maxPacketSize: 1 << 24,
            characterSet: MySQLClientLogin.defaultCharacterSet,
            username: user,
            authResponse: MySQLAuth.nativePassword(password: password, nonce: greeting.authPluginData),
            database: database,
            authPluginName: "mysql_native_password"
        )
        state = .authenticating
        context.writeAndFlush(
            wrapOutboundOut(MySQLPacket(sequenceID: packet.nextSequenceID, payload: response.payload)), promise: nil)
    }

    private func authenticating(_ packet: MySQLPacket, context: ChannelHandlerContext) throws {
        switch packet.payload.readableBytesView.first {
        case MySQLOKPacket.header:
            let query = MySQLCommand.query(ByteBuffer(string: sql))
            var tracker = MySQLResponseTracker(capabilities: capabilities)
            tracker.commandSent(query)
            state = .running(tracker)
            context.writeAndFlush(wrapOutboundOut(MySQLPacket(sequenceID: 0, payload: query.payload)), promise: nil)
        case MySQLErrPacket.header:
            let error = try MySQLErrPacket(parsing: packet.payload)
            fail(context, code: SQLState(rawValue: error.sqlState), message: error.message)
        case MySQLAuthSwitchRequest.header:
            let request = try MySQLAuthSwitchRequest(parsing: packet.payload)
            guard request.pluginName == "mysql_native_password" else {
                fail(context, code: .protocolViolation, message: "the broker asked for \(request.pluginName)")
                return
            }
            let proof = MySQLAuth.nativePassword(password: password, nonce: request.nonce)
            context.writeAndFlush(
                wrapOutboundOut(MySQLPacket(sequenceID: packet.nextSequenceID, payload: ByteBuffer(bytes: proof))),
                promise: nil)
        default:
            fail(context, code: .protocolViolation, message: "unexpected packet during login")
        }
    }

    private func running(_ meaning: MySQLServerPacket, idle: Bool, context: ChannelHandlerContext) throws {
        switch meaning {
        case .columnCount:
            results.beginRows()
        case .columnDefinition(let column, _):
            results.addColumn(column.name)
        case .textRow(let row):
            results.addRow(row.values)
        case .endOfRows:
            let count = results.rowCount
            results.finishStatement(tag: "\(count) row\(count == 1 ? "" : "s") in set", error: nil)
        case .ok(let ok):
            results.finishStatement(
                tag: "OK, \(ok.affectedRows) row\(ok.affectedRows == 1 ? "" : "s") affected", error: nil)
        case .error(let error):
            results.finishStatement(tag: nil, error: Self.error(error))
        case .localInfileRequest:
            // No file is sent: an empty packet ends the upload, and the server answers with its own result.
            context.writeAndFlush(wrapOutboundOut(MySQLPacket(sequenceID: 2, payload: ByteBuffer())), promise: nil)
        default:
            break
        }
        if idle {
            state = .done
            let quit = MySQLPacket(sequenceID: 0, payload: MySQLCommand.quit.payload)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(quit)).whenComplete { _ in channel.close(promise: nil) }
            results.succeed()
        }
    }

    /// The broker names a pending approval in its message; the detail carries the id, as PostgreSQL's does.
    static func error(_ error: MySQLErrPacket) -> SQLError {
        let sqlState = SQLState(rawValue: error.sqlState)
        var detail = String(error.code)
        if sqlState == .approvalPending, let range = error.message.range(of: "approval ") {
            let digits = error.message[range.upperBound...].prefix { $0.isNumber }
            if !digits.isEmpty { detail = String(digits) }
        }
        return SQLError(code: error.sqlState, message: error.message, detail: detail)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .done = state { return }
        state = .done
        results.fail(code: .connectionFailure, message: "the broker closed the connection")
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context, code: .protocolViolation, message: "unreadable answer: \(error)")
    }

    private func fail(_ context: ChannelHandlerContext, code: SQLState, message: String) {
        if case .done = state { return }
        state = .done
        results.fail(code: code, message: message)
        context.close(promise: nil)
    }
}
