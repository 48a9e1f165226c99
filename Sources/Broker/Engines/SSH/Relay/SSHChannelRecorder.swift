import HoopCore
import Masking
import NIOCore
import NIOSSH

/// Records one SSH channel in the session's recording: what the client asked for (`query`), what crossed it
/// (`data`, with the stream), what an sftp client did to files (`query` and `result` with `protocol: sftp`),
/// terminal sizes (`resize`) and how the command ended (`result`). Every event carries the
/// channel number, so a replay can separate the channels of one connection and render each terminal.
struct SSHChannelRecorder {
    let recorder: SessionRecorder
    let connection: Int64
    let channel: UInt32

    func request(_ name: String, _ details: [String: JSONValue] = [:]) throws(RecordingError) {
        var details = details
        details["protocol"] = "ssh"
        details["request"] = .string(name)
        details["channel"] = .int(Int64(channel))
        try recorder.record(kind: .query, conn: connection, dir: .up, details: .object(details))
    }

    /// Records data as relayed; `masked` counts the values masking replaced in it, if any.
    func data(_ message: SSHChannelData, direction: RecordingDirection, masked: MaskingSummary = MaskingSummary())
        throws(RecordingError)
    {
        guard case .byteBuffer(let buffer) = message.data else { return }
        let stream: String
        switch (direction, message.type) {
        case (.up, _): stream = "stdin"
        case (.down, .stdErr): stream = "stderr"
        default: stream = "stdout"
        }
        try recorder.recordData(
            buffer.readableBytesView,
            conn: connection,
            dir: direction,
            details: masked.isEmpty
                ? ["channel": .int(Int64(channel)), "stream": .string(stream)]
                : [
                    "channel": .int(Int64(channel)), "stream": .string(stream),
                    "masking": .object(masked.counts.mapValues { .int(Int64($0)) }),
                ]
        )
    }

    func resize(columns: Int, rows: Int, term: String? = nil) throws(RecordingError) {
        var details: [String: JSONValue] = [
            "channel": .int(Int64(channel)), "cols": .int(Int64(columns)), "rows": .int(Int64(rows)),
        ]
        if let term { details["term"] = .string(term) }
        try recorder.record(kind: .resize, conn: connection, dir: .up, details: .object(details))
    }

    /// What an sftp client did to a file (`query`), or the server's refusal of it (`result`).
    func fileOperation(_ event: SFTPFileOperations.Event) throws(RecordingError) {
        var details = event.details
        details["channel"] = .int(Int64(channel))
        try recorder.record(
            kind: event.kind, conn: connection, dir: event.kind == .query ? .up : .down, details: .object(details))
    }

    func exit(_ details: [String: JSONValue]) throws(RecordingError) {
        var details = details
        details["channel"] = .int(Int64(channel))
        try recorder.record(kind: .result, conn: connection, dir: .down, details: .object(details))
    }
}
