import NIOCore
import NIOPosix

/// How every engine dials its target: on the client's event loop (so the relay needs no hops) and within one
/// connect timeout, so a dead target becomes a precise error rather than a hang.
enum TargetDial {
    static let connectTimeout: TimeAmount = .seconds(5)

    /// A bootstrap for the target on `eventLoop`; engines add their channel options and initializer.
    static func bootstrap(on eventLoop: any EventLoop) -> ClientBootstrap {
        ClientBootstrap(group: eventLoop).connectTimeout(connectTimeout)
    }

    /// A connection to `address` with reads off, for engines that log in to the target before they relay: the
    /// login reads one batch at a time and the relay turns reading on once it is installed.
    static func paused(_ address: HostPort, on eventLoop: any EventLoop) -> EventLoopFuture<any Channel> {
        bootstrap(on: eventLoop)
            .channelOption(.autoRead, value: false)
            .connect(host: address.host, port: address.port)
    }
}
