import HoopCore
import Logging
import NIOCore
import NIOPosix

/// Relays a raw byte stream to the target and records both directions. It understands nothing of the protocol,
/// which is why resources that need policy or masking use a protocol engine instead.
struct TCPEngine: ProtocolEngine {
    let logger: Logger

    func prepare(
        _ tunnel: AdmittedTunnel,
        connection: Int64,
        eventLoop: any EventLoop,
        reporter: ConnectionReporter
    ) async throws(BrokerError) -> any PreparedConnection {
        let address = tunnel.resource.address
        do {
            // Reads stay off until the relay is attached, so bytes a server sends first (a greeting) wait in the
            // socket instead of falling off the end of an unfinished pipeline.
            let target = try await TargetDial.bootstrap(on: eventLoop)
                .channelOption(.autoRead, value: false)
                .channelOption(.allowRemoteHalfClosure, value: true)
                .connect(host: address.host, port: address.port)
                .get()
            return PreparedTCPConnection(
                target: target,
                recorder: tunnel.recorder,
                connection: connection,
                logger: logger
            )
        } catch {
            throw BrokerError(
                .badGateway,
                code: "target_unreachable",
                message: "cannot reach \(tunnel.resource.name) at \(address): \(ConnectFailure.describe(error))",
                hint: "the target may be down; the broker operator can check it"
            )
        }
    }
}

private final class PreparedTCPConnection: PreparedConnection, @unchecked Sendable {
    // Mutated only on the shared event loop (attach and finished both hop there).
    private let target: any Channel
    private let recorder: SessionRecorder
    private let connection: Int64
    private let logger: Logger
    private let traffic = TrafficCounters()

    init(target: any Channel, recorder: SessionRecorder, connection: Int64, logger: Logger) {
        self.target = target
        self.recorder = recorder
        self.connection = connection
        self.logger = logger
    }

    func attach(client: any Channel) throws {
        let up = ByteRecordingStage(recorder: recorder, connection: connection, direction: .up, logger: logger)
        let down = ByteRecordingStage(recorder: recorder, connection: connection, direction: .down, logger: logger)
        let (fromClient, fromTarget) = RelayHandler<ByteBuffer, ByteBuffer>.matchedPair(up, down)
        try client.pipeline.syncOperations.addHandlers([traffic.client, fromClient])
        try target.pipeline.syncOperations.addHandlers([traffic.target, fromTarget])
        guard client.isActive else {
            // The client left while the target was being dialled: nothing will ever close the target for it.
            target.close(promise: nil)
            return
        }
        target.setOption(.autoRead, value: true).whenFailure { _ in self.target.close(promise: nil) }
        target.read()
    }

    func abandon() {
        target.close(promise: nil)
    }

    func finished() async -> TrafficCounts {
        await traffic.counts(after: target, on: target.eventLoop)
    }
}
