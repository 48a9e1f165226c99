import Foundation
import HoopCore

/// Closes the recording of a session the broker did not get to close (it was killed, or the machine stopped), so
/// the recording can be sealed into the audit log like any other and exported.
///
/// Every whole line must already chain from `start`; a final line the crash cut short — it holds no event anyone
/// relayed bytes for, since the recorder writes an event before relaying it — is cut off and counted, and an `end`
/// event saying the session was interrupted is appended. A recording whose whole lines do not chain is left exactly
/// as found: sealing it would vouch for an edit.
enum InterruptedRecording {
    /// What sealing found and wrote.
    struct Sealed: Sendable, Equatable {
        var summary: RecordingSummary
        /// Bytes of a final, incomplete line that were cut off.
        var tornBytes: Int
    }

    static func seal(_ url: URL, details: [String: JSONValue]) throws(RecordingError) -> Sealed {
        let path = url.path
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: url))
        } catch {
            throw RecordingError(path: path, reason: "cannot read the interrupted recording: \(error)")
        }
        let whole = bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let events: [RecordingEvent]
        do {
            events = try RecordingFile.events(in: Array(bytes[..<whole]))
        } catch {
            throw RecordingError(path: path, reason: "left unsealed: its hash chain is broken at \(error)")
        }
        guard let last = events.last else {
            throw RecordingError(path: path, reason: "left unsealed: it holds no whole event")
        }
        let tornBytes = bytes.count - whole
        // The broker wrote the end but stopped before the store said so: the recording is already closed.
        guard last.kind != .end else {
            return Sealed(summary: RecordingSummary(events: last.seq, digest: last.hash), tornBytes: tornBytes)
        }
        var endDetails = details
        endDetails["status"] = "interrupted"
        if tornBytes > 0 { endDetails["torn_bytes"] = .int(Int64(tornBytes)) }
        let seq = last.seq + 1
        let end = RecordingEvent.encode(
            seq: seq, t: last.t, kind: .end, conn: 0, dir: nil, data: nil, details: .object(endDetails),
            prev: last.hash)
        do {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.truncate(atOffset: UInt64(whole))
            try handle.seekToEnd()
            try handle.write(contentsOf: end.line)
            try handle.synchronize()
        } catch {
            throw RecordingError(path: path, reason: "cannot seal the interrupted recording: \(error)")
        }
        return Sealed(summary: RecordingSummary(events: seq, digest: end.hash), tornBytes: tornBytes)
    }
}
