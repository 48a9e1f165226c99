import Foundation
import HoopCore
import Logging
import NIOCore

/// Records one direction of a byte relay as `data` events.
struct ByteRecordingStage: RelayStage {
    typealias Inbound = ByteBuffer
    typealias Outbound = ByteBuffer

    let recorder: SessionRecorder
    let connection: Int64
    let direction: RecordingDirection
    let logger: Logger

    func process(_ buffer: ByteBuffer) throws -> RelayVerdict<ByteBuffer, ByteBuffer> {
        try recorder.recordData(buffer.readableBytesView, conn: connection, dir: direction)
        return .forward([buffer])
    }

    func failed(_ error: any Error) {
        logger.critical(
            "relay stopped; closing the connection",
            metadata: ["recording": "\(recorder.url.lastPathComponent)", "error": "\(error)"]
        )
    }
}
