import Logging
import NIOCore
import NIOSSL
import NIOTLS
import PostgresWire

/// Performs the direct door's actions on a client channel of the broker's direct PostgreSQL port: starts TLS,
/// answers in protocol messages, asks the gate to admit the login, and — once admitted — hands the channel to the
/// engine exactly as a tunnel's would be handed (`PreparedConnection.attach`), passing it the startup packet it
/// read, then leaves the pipeline.
final class PostgresDirectDoorHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var door = PostgresDirectDoor()
    private var buffered = ByteBuffer()
    private let gate: PostgresDirectGate
    private let tls: NIOSSLContext
    private let loginTimeout: TimeAmount
    private let logger: Logger
    private var timeout: Scheduled<Void>?
    /// Set once the connection was refused or closed at the door: an admission finishing later must not hand a
    /// closing channel to the engine.
    private var settled = false

    init(gate: PostgresDirectGate, tls: NIOSSLContext, loginTimeout: TimeAmount, logger: Logger) {
        self.gate = gate
        self.tls = tls
        self.loginTimeout = loginTimeout
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let seconds = Int(loginTimeout.nanoseconds / 1_000_000_000)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timeout = context.eventLoop.scheduleTask(in: loginTimeout) {
            let (handler, context) = bound.value
            if let action = handler.door.timedOut(after: seconds) { handler.perform(action, context: context) }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timeout?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffered.writeBuffer(&bytes)
        while context.channel.isActive, let action = door.read(&buffered) {
            perform(action, context: context)
        }
        buffered.discardReadBytes()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted(let negotiated) = event as? TLSUserEvent,
            let action = door.tlsEstablished(applicationProtocol: negotiated)
        {
            perform(action, context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A failed TLS handshake or a reset: nothing can be said in the protocol any more.
        logger.debug("direct PostgreSQL connection failed", metadata: ["error": "\(error)"])
        settled = true
        door.leave()
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        settled = true
        door.leave()
        context.fireChannelInactive()
    }

    private func perform(_ action: PostgresDirectDoor.Action, context: ChannelHandlerContext) {
        switch action {
        case .acceptTLS:
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(integer: UInt8(ascii: "S"))), promise: nil)
            startTLS(context: context, replaying: nil)
        case .startDirectTLS(let hello):
            startTLS(context: context, replaying: hello)
        case .send(let message):
            send(message, context: context)
        case .admit(let user, let password, let startup):
            let gate = gate
            let channel = context.channel
            admit(context: context, passing: startup, answering: true) {
                await gate.open(user: user, password: password, client: channel)
            }
        case .cancel(let processID, let secretKey, let request):
            let gate = gate
            let channel = context.channel
            // PostgreSQL never answers a CancelRequest, refused or not.
            admit(context: context, passing: request, answering: false) {
                await gate.cancel(processID: processID, secretKey: secretKey, client: channel)
            }
        case .refuse(let sqlState, let message):
            refuse(.fatal(sqlState: sqlState, message: message), context: context)
        case .close:
            settled = true
            context.close(promise: nil)
        }
    }

    private func startTLS(context: ChannelHandlerContext, replaying hello: ByteBuffer?) {
        do {
            try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
        } catch {
            door.leave()
            context.close(promise: nil)
            return
        }
        if let hello { context.pipeline.syncOperations.fireChannelRead(NIOAny(hello)) }
    }

    /// Runs the gate off the event loop and comes back to it with the outcome.
    private func admit(
        context: ChannelHandlerContext, passing packet: ByteBuffer, answering: Bool,
        _ decide: @escaping @Sendable () async -> PostgresDirectGate.Outcome
    ) {
        let promise = context.eventLoop.makePromise(of: PostgresDirectGate.Outcome.self)
        promise.completeWithTask(decide)
        promise.futureResult.assumeIsolated().whenSuccess { outcome in
            switch outcome {
            case .opened(let opened):
                self.handOff(opened, packet: packet, context: context)
            case .refused(let answer) where answering:
                self.refuse(answer, context: context)
            case .refused:
                self.settled = true
                context.close(promise: nil)
            }
        }
    }

    /// Gives the admitted connection to the engine, which reads `packet` as the first thing the client sent, and
    /// lets the tunnel gate account for it when it closes.
    private func handOff(_ opened: OpenedTunnel, packet: ByteBuffer, context: ChannelHandlerContext) {
        timeout?.cancel()
        door.leave()
        let channel = context.channel
        let tunnels = gate.tunnels
        Task { await tunnels.close(opened, client: channel) }
        guard !settled, channel.isActive else {
            opened.prepared.abandon()
            return
        }
        do {
            try opened.prepared.attach(client: channel)
        } catch {
            opened.prepared.abandon()
            let fatal = PostgresBackendMessage.fatal(
                sqlState: .systemError, message: "the broker could not start the session: \(error)")
            refuse(fatal, context: context)
            return
        }
        context.fireChannelRead(wrapInboundOut(packet))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    @discardableResult
    private func send(_ message: PostgresBackendMessage, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        var bytes = context.channel.allocator.buffer(capacity: 64)
        do {
            try PostgresBackendEncoder().encode(data: message, out: &bytes)
        } catch {
            return context.eventLoop.makeFailedFuture(error)
        }
        return context.writeAndFlush(wrapOutboundOut(bytes))
    }

    /// Sends the FATAL and closes once it is written, so the client reads why.
    private func refuse(_ fatal: PostgresBackendMessage, context: ChannelHandlerContext) {
        settled = true
        door.leave()
        send(fatal, context: context).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}
