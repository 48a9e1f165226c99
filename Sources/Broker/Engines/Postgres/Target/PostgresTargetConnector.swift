import Foundation
import NIOCore
import NIOSSL
import PostgresWire

/// Opens the broker's own session on a connected target channel: TLS as the resource's `tls` mode asks, then the
/// login with the held credentials. Everything runs on the target channel's event loop, reading one message at a
/// time (the channel's autoRead is off) so nothing the target sends is lost before the relay is attached.
enum PostgresTargetConnector {
    static func login(
        target: any Channel,
        settings: PostgresTarget,
        host: String,
        password: String,
        clientParameters: [PostgresFrontendMessage.StartupMessage.Parameter]
    ) -> EventLoopFuture<PostgresTargetLogin.Session> {
        let loop = target.eventLoop
        return negotiateTLS(target: target, settings: settings, host: host).flatMap { encrypted in
            let promise = loop.makePromise(of: PostgresTargetLogin.Session.self)
            do {
                try target.pipeline.syncOperations.addHandlers([
                    ByteToMessageHandler(PostgresBackendDecoder()),
                    CoalescingMessageEncoder(PostgresFrontendEncoder()),
                    PostgresTargetLoginHandler(
                        login: PostgresTargetLogin(
                            user: settings.username, password: password,
                            cleartextAllowed: encrypted || settings.allowPlaintextPassword),
                        startup: PostgresTargetLogin.startup(
                            user: settings.username,
                            database: settings.database,
                            clientParameters: clientParameters
                        ),
                        promise: promise
                    ),
                ])
            } catch {
                promise.fail(PostgresTargetLoginError.connection("\(error)"))
            }
            return promise.futureResult
        }
    }

    /// SSLRequest, then TLS on 'S'; on 'N' plain text only where the mode allows it. Succeeds with whether the
    /// connection is now encrypted.
    private static func negotiateTLS(target: any Channel, settings: PostgresTarget, host: String)
        -> EventLoopFuture<Bool>
    {
        guard settings.tls != .disable else { return target.eventLoop.makeSucceededFuture(false) }
        let promise = target.eventLoop.makePromise(of: Bool.self)
        do {
            let context = try settings.tls.clientContext(caFile: settings.caFile)
            try target.pipeline.syncOperations.addHandler(
                PostgresTLSNegotiationHandler(
                    required: settings.tls.requiresTLS,
                    makeTLSHandler: { try settings.tls.clientHandler(context, host: host) },
                    promise: promise
                )
            )
        } catch {
            promise.fail(PostgresTargetLoginError.connection("TLS setup failed: \(error)"))
        }
        return promise.futureResult
    }
}

/// Sends SSLRequest and reads the one-byte answer. A server that sends anything more before the handshake is
/// refused: those bytes would be unauthenticated plaintext injected into the TLS session (CVE-2021-23222).
private final class PostgresTLSNegotiationHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let required: Bool
    private let makeTLSHandler: () throws -> NIOSSLClientHandler
    private let promise: EventLoopPromise<Bool>

    init(required: Bool, makeTLSHandler: @escaping () throws -> NIOSSLClientHandler, promise: EventLoopPromise<Bool>) {
        self.required = required
        self.makeTLSHandler = makeTLSHandler
        self.promise = promise
    }

    func handlerAdded(context: ChannelHandlerContext) {
        var request = ByteBuffer()
        request.writeInteger(Int32(8))
        request.writeInteger(Int32(80_877_103))
        context.writeAndFlush(NIOAny(request), promise: nil)
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard buffer.readableBytes == 1, let answer = buffer.readInteger(as: UInt8.self) else {
            fail(context, .protocolViolation("the target sent data with its answer to SSLRequest"))
            return
        }
        let encrypted: Bool
        switch answer {
        case UInt8(ascii: "S"):
            do {
                try context.pipeline.syncOperations.addHandler(try makeTLSHandler(), position: .first)
            } catch {
                fail(context, .connection("TLS setup failed: \(error)"))
                return
            }
            encrypted = true
        case UInt8(ascii: "N") where !required:
            encrypted = false
        case UInt8(ascii: "N"):
            fail(context, .tlsRequired)
            return
        default:
            fail(context, .protocolViolation("unexpected answer to SSLRequest"))
            return
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        promise.succeed(encrypted)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(PostgresTargetLoginError.connection("the target closed the connection"))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context, .connection("\(error)"))
    }

    private func fail(_ context: ChannelHandlerContext, _ error: PostgresTargetLoginError) {
        promise.fail(error)
        context.close(promise: nil)
    }

}

/// Drives `PostgresTargetLogin` on the channel and removes itself once the target is ready for queries.
private final class PostgresTargetLoginHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = PostgresBackendMessage
    typealias OutboundOut = PostgresFrontendMessage

    private var login: PostgresTargetLogin
    private let startup: PostgresFrontendMessage
    private let promise: EventLoopPromise<PostgresTargetLogin.Session>
    private var done = false

    init(
        login: PostgresTargetLogin,
        startup: PostgresFrontendMessage,
        promise: EventLoopPromise<PostgresTargetLogin.Session>
    ) {
        self.login = login
        self.startup = startup
        self.promise = promise
    }

    func handlerAdded(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(startup), promise: nil)
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        switch login.received(unwrapInboundIn(data)) {
        case .send(let message):
            context.writeAndFlush(wrapOutboundOut(message), promise: nil)
        case .wait:
            break
        case .loggedIn(let session):
            done = true
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            promise.succeed(session)
            return
        case .fail(let error):
            fail(context, error)
            return
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if !done { context.read() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done {
            done = true
            promise.fail(PostgresTargetLoginError.connection("the target closed the connection during login"))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context, .protocolViolation("\(error)"))
    }

    private func fail(_ context: ChannelHandlerContext, _ error: PostgresTargetLoginError) {
        guard !done else { return }
        done = true
        promise.fail(error)
        context.close(promise: nil)
    }
}
