import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
package import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// The witness's HTTP face: `POST /add-checkpoint`. Plain HTTP: everything it receives and sends is signed, so TLS
/// would add no integrity; put a TLS proxy in front when the traffic must also be private.
package enum WitnessServer {
    /// A request is a note with at most 63 proof lines; anything near this size is not one.
    package static let maximumBodySize = 64 * 1024
    /// A connection with nothing to say is closed, so idle peers cannot hold the witness's sockets.
    static let idleTimeout = TimeAmount.seconds(60)

    /// Runs until SIGTERM or SIGINT; `onListening` gets the bound port (useful when `port` is 0).
    package static func run(
        service: WitnessService, host: String, port: Int, logger: Logger,
        onListening: @escaping @Sendable (Int) -> Void
    ) async throws {
        let application = application(service: service, host: host, port: port, logger: logger) { channel in
            onListening(channel.localAddress?.port ?? port)
        }
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE || error.errnoCode == EACCES {
            let problem = error.errnoCode == EADDRINUSE ? "address already in use" : "permission denied"
            throw WitnessSetupError.listen("\(host):\(port)", "cannot be listened on: \(problem)")
        }
    }

    /// Starts the witness in the background on `host:port` (0 picks a free port) and returns once it listens: for
    /// tests, and for a process that runs a witness beside other work. Stop it with `RunningWitnessServer.stop()`.
    package static func start(
        service: WitnessService, host: String = "127.0.0.1", port: Int = 0,
        logger: Logger = .silentWitness
    ) async throws -> RunningWitnessServer {
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let application = application(service: service, host: host, port: port, logger: logger) { channel in
            announce.yield(channel.localAddress?.port ?? port)
        }
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let task = Task {
            defer { announce.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            try await task.value
            throw WitnessSetupError.listen("\(host):\(port)", "stopped before it listened")
        }
        return RunningWitnessServer(host: host, port: bound, group: group, task: task)
    }

    private static func application(
        service: WitnessService, host: String, port: Int, logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void
    ) -> some ApplicationProtocol {
        let router = Router()
        router.post("add-checkpoint") { request, _ -> Response in
            let body = try await request.body.collect(upTo: maximumBodySize)
            return try await service.addCheckpoint(body: body.readableBytesView).response
        }
        return Application(
            router: router,
            server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: idleTimeout)),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port), serverName: "hoopctl-witness"),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }
}
