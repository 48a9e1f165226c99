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
}
