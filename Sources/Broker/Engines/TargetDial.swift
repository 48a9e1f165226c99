import NIOCore
import NIOPosix

/// How every engine dials its target: on the client's event loop (so the relay needs no hops) and within one
/// connect timeout, so a dead target becomes a precise error rather than a hang.
enum TargetDial {
    static let connectTimeout: TimeAmount = .seconds(5)

    /// How long a connected target may take over the broker's login. A port that accepts and then says nothing
    /// (a stopped process whose socket the kernel still holds, another service on the port, a stalled server)
    /// must end in an error the client can show, not in a client waiting forever.
    static let loginTimeout: TimeAmount = .seconds(20)

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

    /// `step` (a part of the login that waits on the target), failed with ``TargetLoginTimeout`` if the target
    /// has not answered within ``loginTimeout``; `target` names the connection to close then, if there is one yet.
    static func bounded<Value: Sendable>(
        _ step: EventLoopFuture<Value>,
        waitingFor what: String,
        on eventLoop: any EventLoop,
        closing target: @escaping @Sendable () -> (any Channel)?
    ) -> EventLoopFuture<Value> {
        let promise = eventLoop.makePromise(of: Value.self)
        let timer = eventLoop.scheduleTask(in: loginTimeout) {
            // The client hears why first; the target's close then ends the connection.
            promise.fail(TargetLoginTimeout(waitingFor: what, after: loginTimeout))
            target()?.close(promise: nil)
        }
        step.whenComplete { result in
            timer.cancel()
            promise.completeWith(result)
        }
        return promise.futureResult
    }
}

/// A target that connected but did not answer the broker's login in time.
struct TargetLoginTimeout: Error, CustomStringConvertible {
    let waitingFor: String
    let after: TimeAmount

    var description: String {
        "the target did not answer (\(waitingFor)) within \(after.nanoseconds / 1_000_000_000) s"
    }
}
