import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle

/// The broker's direct PostgreSQL port (`postgres_direct.listen`): every accepted connection starts at the direct
/// door (TLS with the broker's certificate, then the per-session login) and, once admitted, is the same engine
/// connection a tunnel would have carried. Runs until the broker shuts down.
struct PostgresDirectListener: Service {
    let config: PostgresDirectConfig
    let tls: TLSConfiguration
    let gate: PostgresDirectGate
    let logger: Logger

    func run() async throws {
        var tls = tls
        // PostgreSQL 17 clients offer ALPN "postgresql" (and need it for direct TLS); older ones offer none.
        tls.applicationProtocols = [PostgresDirectDoor.applicationProtocol]
        let context = try NIOSSLContext(configuration: tls)
        let gate = gate
        let logger = logger
        let timeout = TimeAmount.nanoseconds(Int64(config.loginTimeout * 1_000_000_000))
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            PostgresDirectDoorHandler(gate: gate, tls: context, loginTimeout: timeout, logger: logger))
                    }
                }
                .bind(host: config.listen.host, port: config.listen.port)
                .get()
        } catch let error as IOError {
            throw BrokerSetupError(
                path: "postgres_direct.listen \(config.listen)",
                problem: "cannot be listened on: \(String(cString: strerror(error.errnoCode)).lowercased())")
        }
        logger.notice("postgres direct listening on \(config.listen)")
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                try? await channel.closeFuture.get()
            } onGracefulShutdown: {
                channel.close(promise: nil)
            }
        } onCancel: {
            channel.close(promise: nil)
        }
    }
}
