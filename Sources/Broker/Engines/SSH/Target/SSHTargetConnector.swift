import NIOCore
import NIOPosix
import NIOSSH

/// Opens the broker's own SSH session on the target: TCP, key exchange with the host key verified, then the login
/// with the held credential. It finishes before the client's tunnel is accepted, so a wrong host key or a refused
/// login reaches the client as a precise refusal instead of a connection that dies later.
enum SSHTargetConnector {
    /// Returns the logged-in connection; its `NIOSSHHandler` opens channels on the target.
    /// `inboundChannel` is asked about channels the target opens (forwarded ports).
    static func connect(
        address: HostPort,
        settings: SSHTarget,
        on eventLoop: any EventLoop,
        counter: ByteCounter,
        inboundChannel: @escaping @Sendable (any Channel, SSHChannelType) -> EventLoopFuture<Void>
    ) async throws(SSHTargetError) -> any Channel {
        let credential: SSHTargetCredential
        do {
            credential = try SSHTargetCredential.load(settings.credential)
        } catch {
            throw .credentials(error)
        }
        let loggedIn = eventLoop.makePromise(of: Void.self)
        let channel: any Channel
        do {
            channel = try await TargetDial.bootstrap(on: eventLoop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let configuration = SSHClientConfiguration(
                            userAuthDelegate: SSHTargetLogin(username: settings.username, credential: credential),
                            serverAuthDelegate: SSHHostKeyCheck(trust: settings.hostKey, address: address)
                        )
                        let ssh = NIOSSHHandler(
                            role: .client(configuration),
                            allocator: channel.allocator,
                            inboundChildChannelInitializer: { child, type in inboundChannel(child, type) }
                        )
                        try channel.pipeline.syncOperations.addHandlers([
                            counter, ssh, SSHTargetLoginWatcher(promise: loggedIn),
                        ])
                    }
                }
                .connect(host: address.host, port: address.port)
                .get()
        } catch {
            loggedIn.fail(error)
            throw .unreachable("cannot reach \(address): \(ConnectFailure.describe(error))")
        }
        // The SSH handler does not pass on channelInactive, so a target that hangs up during login is seen here.
        channel.closeFuture.whenComplete { _ in loggedIn.fail(SSHTargetError.closed) }
        do {
            try await TargetDial.bounded(loggedIn.futureResult, waitingFor: "the login", on: eventLoop) { channel }
                .get()
            return channel
        } catch {
            channel.close(promise: nil)
            switch error {
            case let error as SSHTargetError: throw error
            case let error as SSHHostKeyError: throw .hostKey(error)
            default: throw .protocolFailure("\(error)")
            }
        }
    }
}

/// Completes the login promise when the target accepts the broker's login, or fails it with the first error. After
/// the login, an error on the target connection closes it (and the relay with it).
private final class SSHTargetLoginWatcher: ChannelInboundHandler {
    typealias InboundIn = Never

    private let promise: EventLoopPromise<Void>
    private var done = false

    init(promise: EventLoopPromise<Void>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is UserAuthSuccessEvent, !done {
            done = true
            promise.succeed()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !done {
            done = true
            promise.fail(error)
        }
        context.close(promise: nil)
    }

}
