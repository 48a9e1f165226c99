package import Foundation
import HoopCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The local end of `hoopctl connect`: a listener on 127.0.0.1 whose every connection is carried to the broker over
/// its own TLS connection, upgraded to a raw tunnel with the session grant, and spliced byte for byte.
///
/// Listener and tunnels all live on one event loop, so the bookkeeping needs no locks and each local connection
/// can be glued directly to its broker connection.
package final class PortForwarder: Sendable {
    package struct Configuration: Sendable {
        package var endpoint: BrokerEndpoint
        package var trust: TrustAnchor
        /// The session grant presented on every tunnel.
        package var grant: String
        /// Local port to listen on; 0 picks a free one.
        package var port: Int

        package init(endpoint: BrokerEndpoint, trust: TrustAnchor, grant: String, port: Int) {
            self.endpoint = endpoint
            self.trust = trust
            self.grant = grant
            self.port = port
        }
    }

    /// What happens to local connections, for the caller to report.
    package enum Event: Sendable {
        /// A local connection is now spliced to the broker; `connections` are open in all.
        case opened(connections: Int)
        /// A local connection closed; `connections` remain open.
        case closed(connections: Int)
        /// The broker turned a tunnel down (grant expired or revoked, access denied); the local connection was closed.
        case refused(LocalError)
        /// The broker could not be reached for a tunnel; the local connection was closed.
        case failed(LocalError)
        /// A connection from another local user (uid), or one whose owner could not be established, was closed
        /// before anything was sent to the broker.
        case foreignPeer(uid: uid_t?)
    }

    /// The port actually listened on, useful when 0 was asked for.
    package let port: Int
    /// The listening address: loopback only, so other machines cannot ride the session.
    package static let host = "127.0.0.1"

    private let eventLoop: any EventLoop
    private let listener: any Channel
    private let tunnels: NIOLoopBoundBox<TunnelTable>

    private init(port: Int, eventLoop: any EventLoop, listener: any Channel, tunnels: NIOLoopBoundBox<TunnelTable>) {
        self.port = port
        self.eventLoop = eventLoop
        self.listener = listener
        self.tunnels = tunnels
    }

    /// Starts listening. `onEvent` is called on the forwarder's event loop and must not block.
    package static func start(
        _ configuration: Configuration,
        onEvent: @escaping @Sendable (Event) -> Void
    ) async throws(LocalError) -> PortForwarder {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let tunnels = NIOLoopBoundBox.makeBoxSendingValue(TunnelTable(), eventLoop: eventLoop)
        let dialer = try TunnelDialer(configuration: configuration)
        let listener: any Channel
        do {
            listener = try await ServerBootstrap(group: eventLoop)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.autoRead, value: false)
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .childChannelInitializer { local in
                    local.eventLoop.makeCompletedFuture {
                        Self.accept(local, dialer: dialer, tunnels: tunnels, onEvent: onEvent)
                    }
                }
                .bind(host: Self.host, port: configuration.port)
                .get()
        } catch {
            throw LocalError(
                .tunnel,
                "cannot listen on \(Self.host):\(configuration.port): \(ErrorDescription.of(error))",
                hint: "choose another port with --port, or 0 for any free port"
            )
        }
        guard let port = listener.localAddress?.port else {
            listener.close(promise: nil)
            throw LocalError(.tunnel, "the local listener has no port")
        }
        return PortForwarder(port: port, eventLoop: eventLoop, listener: listener, tunnels: tunnels)
    }

    /// Local connections open now.
    package func openConnections() async -> Int {
        (try? await self.eventLoop.submit { self.tunnels.value.count }.get()) ?? 0
    }

    /// Stops listening and closes every tunnel at once (grant expiry, revocation, Ctrl-C).
    package func stop() async {
        let closed = self.eventLoop.flatSubmit {
            let channels = self.tunnels.value.stop()
            let closes = ([self.listener] + channels).map { $0.close() }
            return EventLoopFuture.whenAllComplete(closes, on: self.eventLoop).map { _ in () }
        }
        try? await closed.get()
    }

    /// Sets up one accepted connection: reading stays paused until the broker side is spliced to it.
    private static func accept(
        _ local: any Channel,
        dialer: TunnelDialer,
        tunnels: NIOLoopBoundBox<TunnelTable>,
        onEvent: @escaping @Sendable (Event) -> Void
    ) {
        var owner: uid_t? = nil
        if let peer = local.remoteAddress, let peerIP = peer.ipAddress, let peerPort = peer.port,
            let listener = local.localAddress, let listenIP = listener.ipAddress, let listenPort = listener.port
        {
            owner = LoopbackPeerOwner.uid(
                peerIP: peerIP, peerPort: peerPort, listenIP: listenIP, listenPort: listenPort)
        }
        guard owner == getuid() else {
            local.close(promise: nil)
            onEvent(.foreignPeer(uid: owner))
            return
        }
        guard tunnels.value.add(local) else {
            local.close(promise: nil)
            return
        }
        local.closeFuture.whenComplete { _ in
            guard let tunnel = tunnels.value.remove(local) else { return }
            if tunnel.isSpliced {
                onEvent(.closed(connections: tunnels.value.count))
            } else {
                // Still dialling or handshaking: nobody else will close the broker side.
                tunnel.broker?.close(promise: nil)
            }
        }
        let (connected, handshake) = dialer.dial(for: local)
        connected.whenSuccess { broker in
            if !tunnels.value.attach(broker, to: local) {
                broker.close(promise: nil)
            }
        }
        handshake.whenComplete { result in
            // A client that left before its tunnel was ready needs no report: its broker side is already closed.
            guard tunnels.value.contains(local) else { return }
            switch result {
            case .success(.spliced):
                tunnels.value.markSpliced(local)
                local.setOption(.autoRead, value: true).whenFailure { _ in local.close(promise: nil) }
                onEvent(.opened(connections: tunnels.value.count))
            case .success(.refused(let answer)):
                answer.whenComplete { answer in
                    onEvent(.refused(dialer.explain(answer)))
                    local.close(promise: nil)
                }
            case .failure(let error):
                onEvent(.failed(dialer.explain(error)))
                local.close(promise: nil)
            }
        }
    }
}
