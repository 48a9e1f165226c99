package import Foundation
package import HoopCore
import Synchronization

/// Appends a session's recording (`recordings/<session>.jsonl`, format in `RecordingEvent`).
///
/// Engines call `record` synchronously from the event loop, in the order bytes are relayed, so the file's order is
/// the wire's order. Each event is written to the file before `record` returns — before its bytes are relayed — so
/// a disk that fills up or turns read-only stops the traffic at the first event it cannot take, and a broker that is
/// killed loses nothing it relayed (the kernel keeps what was written). `flush` forces the written events to stable
/// storage; the broker runs it every second for every live recording, so even a machine crash loses at most that.
/// The first write error poisons the recorder and every later `record` throws: the engine then stops the traffic
/// instead of relaying unrecorded bytes.
package final class SessionRecorder: Sendable {
    package let url: URL
    /// `url.path`, computed once: errors name it, and `URL.path` is not free on every event.
    private let path: String
    private let started: ContinuousClock.Instant
    private let state: Mutex<State>
    /// Held while syncing or closing, so a sync never runs on a closed descriptor; `record` does not wait for it.
    private let syncing = Mutex<Void>(())
    private let nextConnection = Atomic<Int64>(0)

    private struct State {
        /// -1 once the file is closed.
        var descriptor: Int32
        var seq: Int64 = 0
        var lastHash = HashChain.genesis
        /// Length of the file's whole events; a failed write is cut back to it.
        var written: off_t = 0
        var unsynced = false
        var failure: String?
        var ended = false
    }

    /// Starts the recording of session `sessionID` in `directory` (created 0700 if needed).
    package convenience init(directory: URL, sessionID: String, metadata: JSONValue) throws {
        try FileManager.default.createDirectory(
            at: directory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        try self.init(file: directory.appendingPathComponent("\(sessionID).jsonl"), metadata: metadata)
    }

    /// Starts a recording in `file` (created 0600) and writes its `start` event, so a recording that cannot be
    /// written is discovered before any traffic flows.
    package init(file: URL, metadata: JSONValue) throws {
        url = file
        path = file.path
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw RecordingError(path: file.path, reason: "cannot create the recording file: \(Self.errorText())")
        }
        started = .now
        state = Mutex(State(descriptor: descriptor))
        do {
            try record(kind: .start, conn: 0, details: metadata)
        } catch {
            // A failed write is cut back, so a recording file that is new holds nothing: leave no empty file behind.
            let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
            if attributes?[.type] as? FileAttributeType == .typeRegular, (attributes?[.size] as? Int) == 0 {
                unlink(file.path)
            }
            throw error
        }
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { close(state.descriptor) }
        }
    }

    /// A new connection number within the session, for `open`/`data`/`close` events.
    package func newConnection() -> Int64 {
        nextConnection.add(1, ordering: .relaxed).newValue
    }

    /// Writes one event through to the file; it throws — and the caller must not relay what it describes — when
    /// the event cannot be written or an earlier one could not.
    package func record(
        kind: RecordingKind,
        conn: Int64,
        dir: RecordingDirection? = nil,
        details: JSONValue = [:]
    ) throws(RecordingError) {
        try append(kind: kind) { seq, micros, prev in
            RecordingEvent.encode(
                seq: seq, t: micros, kind: kind, conn: conn, dir: dir, data: nil, details: details, prev: prev)
        }
    }

    /// Writes a `data` event for bytes about to be relayed, under the same rule as `record`. The bytes are
    /// base64-encoded straight into the event's line.
    package func recordData(
        _ bytes: some Collection<UInt8>,
        conn: Int64,
        dir: RecordingDirection,
        details: JSONValue = [:]
    ) throws(RecordingError) {
        var outcome: Result<Void, RecordingError>?
        _ = bytes.withContiguousStorageIfAvailable { buffer in
            outcome = Result { () throws(RecordingError) in
                try recordData(UnsafeRawBufferPointer(buffer), conn: conn, dir: dir, details: details)
            }
        }
        if let outcome { return try outcome.get() }
        let copy = Array(bytes)
        let copied = copy.withUnsafeBytes { raw in
            Result { () throws(RecordingError) in try recordData(raw, conn: conn, dir: dir, details: details) }
        }
        try copied.get()
    }

    private func recordData(
        _ bytes: UnsafeRawBufferPointer, conn: Int64, dir: RecordingDirection, details: JSONValue
    ) throws(RecordingError) {
        try append(kind: .data) { seq, micros, prev in
            RecordingEvent.encode(
                seq: seq, t: micros, conn: conn, dir: dir, bytes: bytes, details: details, prev: prev)
        }
    }

    /// Numbers, encodes and writes one event under the lock, so the file's order is the order of the calls.
    private func append(
        kind: RecordingKind,
        encode: (_ seq: Int64, _ micros: Int64, _ prev: String) -> EncodedRecordingEvent
    ) throws(RecordingError) {
        let elapsed = ContinuousClock.now - started
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        let path = self.path
        try state.withLock { state throws(RecordingError) in
            if let failure = state.failure { throw RecordingError(path: path, reason: failure) }
            if state.ended { throw RecordingError(path: path, reason: "the recording has ended") }
            let seq = state.seq + 1
            let event = encode(seq, micros, state.lastHash)
            if let problem = Self.append(event.line, to: state.descriptor, keeping: state.written) {
                let reason = "write failed at event \(seq) (\(kind.rawValue)): \(problem)"
                state.failure = reason
                throw RecordingError(path: path, reason: reason)
            }
            state.seq = seq
            state.lastHash = event.hash
            state.written += off_t(event.line.count)
            state.unsynced = true
            if kind == .end { state.ended = true }
        }
    }

    /// Forces the events written so far to stable storage. Safe to call from any task; it does not hold up
    /// `record`. Throws once the recording has failed, so the caller can end the session.
    package func flush() throws(RecordingError) {
        try syncing.withLock { _ throws(RecordingError) in
            let descriptor = try state.withLock { state throws(RecordingError) -> Int32? in
                if let failure = state.failure { throw RecordingError(path: path, reason: failure) }
                guard state.unsynced, state.descriptor >= 0 else { return nil }
                state.unsynced = false
                return state.descriptor
            }
            guard let descriptor, fdatasync(descriptor) != 0 else { return }
            let reason = "cannot sync to disk: \(Self.errorText())"
            state.withLock { $0.failure = reason }
            throw RecordingError(path: path, reason: reason)
        }
    }

    /// Records the `end` event, syncs and closes the file. Returns the recording's digest (its last hash), which
    /// the caller seals into the audit log.
    package func finish(details: JSONValue) throws(RecordingError) -> RecordingSummary {
        let alreadyEnded = state.withLock { $0.ended }
        if !alreadyEnded { try record(kind: .end, conn: 0, details: details) }
        try flush()
        try syncing.withLock { _ throws(RecordingError) in
            let descriptor = state.withLock { state -> Int32 in
                defer { state.descriptor = -1 }
                return state.descriptor
            }
            guard descriptor >= 0 else { return }
            guard close(descriptor) == 0 else {
                throw RecordingError(path: path, reason: "cannot close the recording: \(Self.errorText())")
            }
        }
        return state.withLock { RecordingSummary(events: $0.seq, digest: $0.lastHash) }
    }

    package var failure: String? { state.withLock { $0.failure } }

    /// How many bytes of the file are whole events: what a `RecordingShipper` may copy, since a write in progress or
    /// one the disk refused part of never counts.
    package var writtenLength: Int64 { state.withLock { Int64($0.written) } }

    /// Writes all of `bytes` at the end of the file, or — when the disk refuses part of them — cuts the file back to
    /// `keeping` bytes so it ends with a whole event, and says why.
    private static func append(_ bytes: [UInt8], to descriptor: Int32, keeping length: off_t) -> String? {
        guard descriptor >= 0 else { return "the recording file is closed" }
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if count > 0 {
                offset += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                let problem = count == 0 ? "the disk accepted no bytes" : errorText()
                _ = ftruncate(descriptor, length)
                return problem
            }
        }
        return nil
    }

    /// The current `errno` as the system words it, with its number for searching.
    private static func errorText() -> String {
        let code = errno
        return "\(String(cString: strerror(code))) (errno \(code))"
    }
}

/// The sealed facts of a finished recording.
package struct RecordingSummary: Sendable, Equatable {
    package var events: Int64
    package var digest: String
}

/// A recording write failed; traffic for the session must stop.
package struct RecordingError: Error, CustomStringConvertible {
    package var path: String
    package var reason: String
    package var description: String { "recording \(path): \(reason)" }
}
