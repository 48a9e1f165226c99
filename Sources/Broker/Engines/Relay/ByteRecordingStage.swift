import Foundation
import HoopCore
import Logging
import NIOCore

/// Records one direction of a byte relay as `data` events and counts its bytes.
final class ByteRecordingStage: RelayStage, @unchecked Sendable {
    typealias Inbound = ByteBuffer
    typealias Outbound = ByteBuffer

    // Touched only on the relay's event loop.
    private(set) var bytes = 0

    let recorder: SessionRecorder
    let connection: Int64
    let direction: RecordingDirection
    let logger: Logger

    init(recorder: SessionRecorder, connection: Int64, direction: RecordingDirection, logger: Logger) {
        self.recorder = recorder
        self.connection = connection
        self.direction = direction
        self.logger = logger
    }

    func process(_ buffer: ByteBuffer) throws -> RelayVerdict<ByteBuffer, ByteBuffer> {
        bytes += buffer.readableBytes
        try recorder.record(kind: .data, conn: connection, dir: direction, data: Array(buffer.readableBytesView))
        return .forward([buffer])
    }

    func failed(_ error: any Error) {
        logger.critical(
            "relay stopped; closing the connection",
            metadata: ["recording": "\(recorder.url.lastPathComponent)", "error": "\(error)"]
        )
    }
}
