import Foundation
import HoopCore
import Masking
import NIOCore
import NIOWebSocket

/// What the broker does to each WebSocket message it relays: records it (before it is relayed, so nothing
/// crosses unrecorded), and masks what the target sends. Under the Kubernetes channel protocol
/// (`v4.channel.k8s.io`, `v5.channel.k8s.io`) the first byte of each message names a stream — 0 stdin, 1 stdout,
/// 2 stderr, 3 status, 4 terminal resize — so streams are recorded apart, resizes become `resize` events a replay
/// can follow, and only the output streams are masked.
final class WebSocketFrameInspector: @unchecked Sendable {
    /// Kubernetes' stream numbers.
    enum KubernetesStream: UInt8 {
        case stdin = 0
        case stdout = 1
        case stderr = 2
        case status = 3
        case resize = 4
        case close = 255
    }

    private let recorder: SessionRecorder
    private let connection: Int64
    private let masker: ValueMasker?
    private let channels: Bool
    // Touched only on the connection's event loop (both relay handlers run there).
    private var found = MaskingSummary()

    init(recorder: SessionRecorder, connection: Int64, masker: ValueMasker?, subprotocol: String?) {
        self.recorder = recorder
        self.connection = connection
        self.masker = masker
        channels = subprotocol?.hasSuffix(".channel.k8s.io") ?? false
    }

    /// Everything masked so far, for the audit when the connection ends.
    var summary: MaskingSummary { found }

    /// The payload to relay for one data message, recorded; throws when it cannot be recorded.
    func pass(_ payload: ByteBuffer, opcode: WebSocketOpcode, direction: RecordingDirection) throws(RecordingError)
        -> ByteBuffer
    {
        let bytes = Array(payload.readableBytesView)
        guard channels, let first = bytes.first else {
            let out = direction == .down ? masked(bytes[...]) : bytes
            try recorder.recordData(
                out, conn: connection, dir: direction, details: ["opcode": .int(Int64(UInt8(webSocketOpcode: opcode)))])
            return ByteBuffer(bytes: out)
        }
        let stream = KubernetesStream(rawValue: first)
        let content = bytes.dropFirst()
        if stream == .resize, direction == .up {
            try recordResize(content)
            return payload
        }
        let out = direction == .down && stream != .stdin ? masked(content) : Array(content)
        try recorder.recordData(out, conn: connection, dir: direction, details: ["channel": .int(Int64(first))])
        return ByteBuffer(bytes: [first] + out)
    }

    private func masked(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        guard let masker else { return Array(bytes) }
        let result = masker.mask(bytes: bytes)
        found.merge(result.findings)
        return result.bytes
    }

    /// `{"Width": 120, "Height": 40}` as a `resize` event; a resize that does not parse is recorded as data.
    private func recordResize(_ content: ArraySlice<UInt8>) throws(RecordingError) {
        struct Size: Decodable {
            var width: Int
            var height: Int
            enum CodingKeys: String, CodingKey {
                case width = "Width"
                case height = "Height"
            }
        }
        guard let size = try? JSONDecoder().decode(Size.self, from: Data(content)) else {
            try recorder.recordData(content, conn: connection, dir: .up, details: ["channel": 4])
            return
        }
        try recorder.record(
            kind: .resize, conn: connection, dir: .up,
            details: ["channel": 4, "cols": .int(Int64(size.width)), "rows": .int(Int64(size.height))])
    }
}
