import Foundation
import HoopCore
import Logging
import NIOCore

/// Records one direction of a relayed connection as `data` events.
struct RecordingTap: TrafficTap {
    let recorder: SessionRecorder
    let connection: Int64
    let direction: RecordingDirection
    let logger: Logger

    func observe(_ buffer: ByteBuffer) throws {
        try recorder.record(
            kind: .data,
            conn: connection,
            dir: direction,
            data: Array(buffer.readableBytesView)
        )
    }

    func failed(_ error: any Error) {
        logger.critical(
            "recording failed; closing the connection",
            metadata: ["recording": "\(recorder.url.lastPathComponent)", "error": "\(error)"]
        )
    }
}
