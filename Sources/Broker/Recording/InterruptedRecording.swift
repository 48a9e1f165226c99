import Foundation
import HoopCore

/// Closes the recording of a session the broker did not get to close (it was killed, or the machine stopped), so
/// the recording can be sealed into the audit log like any other and exported.
///
/// Every whole line must already chain from `start`; a final line the crash cut short — it holds no event anyone
/// relayed bytes for, since the recorder writes an event before relaying it — is cut off and counted, and an `end`
/// event saying the session was interrupted is appended. A recording whose whole lines do not chain is left exactly
/// as found: sealing it would vouch for an edit.
///
/// The same sealing applies to a file in this broker's data dir (`seal(_:details:)`, at start-up) and to a segment
/// in the shared archive (`seal(_:session:in:details:)`), which is how a broker taking over a dead broker's session
/// seals the part that broker recorded.
enum InterruptedRecording {
    /// What sealing found and wrote.
    struct Sealed: Sendable, Equatable {
        var summary: RecordingSummary
        /// Bytes of a final, incomplete line that were cut off.
        var tornBytes: Int
    }

    /// Seals the recording file at `url` in place.
    static func seal(_ url: URL, details: [String: JSONValue]) throws(RecordingError) -> Sealed {
        let path = url.path
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: url))
        } catch {
            throw RecordingError(path: path, reason: "cannot read the interrupted recording: \(error)")
        }
        let plan = try Plan(bytes, path: path, details: details)
        guard let end = plan.end else { return plan.sealed }
        do {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.truncate(atOffset: UInt64(plan.whole))
            try handle.seekToEnd()
            try handle.write(contentsOf: end)
            try handle.synchronize()
        } catch {
            throw RecordingError(path: path, reason: "cannot seal the interrupted recording: \(error)")
        }
        return plan.sealed
    }

    /// Seals segment `name` of `session` as the archive holds it, and writes the sealed segment back through the
    /// archive, which refuses it if the segment changed underneath (its owner was not dead after all).
    static func seal(
        _ name: String, session: String, in archive: any RecordingArchive, details: [String: JSONValue]
    ) async throws(RecordingError) -> Sealed {
        let path = "archive:\(name)"
        let bytes: [UInt8]
        do {
            guard let archived = try await archive.segment(name) else {
                throw RecordingError(path: path, reason: "left unsealed: the archive holds no such segment")
            }
            bytes = archived
        } catch let error as RecordingError {
            throw error
        } catch {
            throw RecordingError(path: path, reason: "cannot read the interrupted recording: \(error)")
        }
        let plan = try Plan(bytes, path: path, details: details)
        guard let end = plan.end else { return plan.sealed }
        do {
            if plan.sealed.tornBytes > 0 { try await archive.truncate(name, to: Int64(plan.whole)) }
            try await archive.append(end, to: name, session: session, at: Int64(plan.whole))
        } catch {
            throw RecordingError(path: path, reason: "cannot seal the interrupted recording: \(error)")
        }
        return plan.sealed
    }

    /// What sealing `bytes` takes: where the whole lines end, and the `end` event to write there unless the
    /// recording already ended.
    private struct Plan {
        var whole: Int
        /// The `end` event's line, nil when the recording already has one.
        var end: [UInt8]?
        var sealed: Sealed

        init(_ bytes: [UInt8], path: String, details: [String: JSONValue]) throws(RecordingError) {
            whole = bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
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
                end = nil
                sealed = Sealed(summary: RecordingSummary(events: last.seq, digest: last.hash), tornBytes: tornBytes)
                return
            }
            var endDetails = details
            endDetails["status"] = "interrupted"
            if tornBytes > 0 { endDetails["torn_bytes"] = .int(Int64(tornBytes)) }
            let seq = last.seq + 1
            let event = RecordingEvent.encode(
                seq: seq, t: last.t, kind: .end, conn: 0, dir: nil, data: nil, details: .object(endDetails),
                prev: last.hash)
            end = event.line
            sealed = Sealed(summary: RecordingSummary(events: seq, digest: event.hash), tornBytes: tornBytes)
        }
    }
}
