import Foundation
import MySQLWire
import NIOCore
import NIOPosix
import NIOSSL

/// The broker's connection to a MySQL target, in two steps: the target's greeting is read first, because the
/// broker greets the client in the target's name (version, character set, capabilities); the login is completed
/// once the client has proven the session password, with the capabilities the client negotiated, so both halves of
/// the relay agree on every packet's layout.
final class MySQLTargetConnector: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    // Touched only on the target channel's event loop.
    typealias InboundIn = MySQLPacket
    typealias OutboundOut = MySQLPacket

    private enum Phase {
        case awaitingGreeting(EventLoopPromise<MySQLHandshakeV10>)
        case greeted(MySQLPacket)
        case loggingIn(MySQLClientLogin, EventLoopPromise<MySQLTargetSession>)
        case done
    }

    private var phase: Phase
    private var context: ChannelHandlerContext?
    private let tls: TargetTLSMode
    private let caFile: URL?
    private let host: String

    private init(greeting: EventLoopPromise<MySQLHandshakeV10>, tls: TargetTLSMode, caFile: URL?, host: String) {
        phase = .awaitingGreeting(greeting)
        self.tls = tls
        self.caFile = caFile
        self.host = host
    }

    /// Installs the codec and the connector on a connected target channel and reads the greeting.
    static func greet(_ target: any Channel, settings: MySQLTarget, host: String) -> EventLoopFuture<
        (MySQLHandshakeV10, MySQLTargetConnector)
    > {
        let promise = target.eventLoop.makePromise(of: MySQLHandshakeV10.self)
        let connector = MySQLTargetConnector(greeting: promise, tls: settings.tls, caFile: settings.caFile, host: host)
        do {
            try target.pipeline.syncOperations.addHandlers([
                ByteToMessageHandler(MySQLPacketDecoder()),
                MessageToByteHandler(MySQLPacketEncoder()),
                connector,
            ])
        } catch {
            promise.fail(error)
        }
        target.read()
        return promise.futureResult.map { ($0, connector) }
    }

    /// Completes the login with the held credentials and what the client negotiated; the connector removes itself
    /// once the target has accepted it, leaving the codec for the relay.
    func login(_ login: MySQLClientLogin) -> EventLoopFuture<MySQLTargetSession> {
        guard let context, case .greeted(let greeting) = phase else {
            return MultiThreadedEventLoopGroup.singleton.any().makeFailedFuture(
                MySQLTargetLoginFailure("the target's greeting was not read"))
        }
        let promise = context.eventLoop.makePromise(of: MySQLTargetSession.self)
        var login = login
        let action: MySQLClientLogin.Action
        do {
            action = try login.received(greeting)
        } catch {
            promise.fail(MySQLTargetLoginFailure("\(error)"))
            return promise.futureResult
        }
        phase = .loggingIn(login, promise)
        perform(action, context: context)
        context.read()
        return promise.futureResult
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let packet = unwrapInboundIn(data)
        switch phase {
        case .awaitingGreeting(let promise):
            if packet.payload.readableBytesView.first == MySQLErrPacket.header,
                let error = try? MySQLErrPacket(parsing: packet.payload)
            {
                phase = .done
                promise.fail(MySQLTargetLoginFailure("the target refused the connection: \(error.message)"))
                return
            }
            let greeting: MySQLHandshakeV10
            do {
                greeting = try MySQLHandshakeV10(parsing: packet.payload)
            } catch {
                phase = .done
                promise.fail(MySQLTargetLoginFailure("the target's greeting is not a MySQL handshake: \(error)"))
                return
            }
            phase = .greeted(packet)
            promise.succeed(greeting)
        case .loggingIn(var login, let promise):
            do {
                let action = try login.received(packet)
                phase = .loggingIn(login, promise)
                perform(action, context: context)
            } catch {
                phase = .done
                promise.fail(MySQLTargetLoginFailure("\(error)"))
            }
        case .greeted, .done:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if case .loggingIn = phase { context.read() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(MySQLTargetLoginFailure("the target closed the connection during login"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(MySQLTargetLoginFailure("\(error)"))
        context.close(promise: nil)
    }

    private func fail(_ failure: MySQLTargetLoginFailure) {
        switch phase {
        case .awaitingGreeting(let promise):
            promise.fail(failure)
        case .loggingIn(_, let promise):
            promise.fail(failure)
        case .greeted, .done:
            break
        }
        phase = .done
    }

    private func perform(_ action: MySQLClientLogin.Action, context: ChannelHandlerContext) {
        switch action {
        case .send(let packet):
            context.writeAndFlush(wrapOutboundOut(packet), promise: nil)
        case .startTLS(let request):
            context.writeAndFlush(wrapOutboundOut(request), promise: nil)
            do {
                let tlsContext = try tls.clientContext(caFile: caFile)
                try context.pipeline.syncOperations.addHandler(
                    try tls.clientHandler(tlsContext, host: host), position: .first)
            } catch {
                fail(MySQLTargetLoginFailure("TLS setup failed: \(error)"))
                context.close(promise: nil)
                return
            }
            guard case .loggingIn(var login, let promise) = phase else { return }
            let next = login.tlsEstablished()
            phase = .loggingIn(login, promise)
            perform(next, context: context)
        case .wait:
            break
        case .loggedIn(let session):
            guard case .loggingIn(_, let promise) = phase else { return }
            phase = .done
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            promise.succeed(session)
        case .fail(let error):
            fail(MySQLTargetLoginFailure("\(error)"))
            context.close(promise: nil)
        }
    }
}

/// Why the broker's login to the target failed, in words for the client and the audit trail.
struct MySQLTargetLoginFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
