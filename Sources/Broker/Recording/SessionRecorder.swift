public import Foundation
public import HoopCore
import Synchronization

/// Appends a session's recording (`recordings/<session>.jsonl`, format in `RecordingEvent`).
///
/// Engines call `record` synchronously from the event loop, in the order bytes are relayed, so the file's order is
/// the wire's order. Events are buffered in memory and written by `flush`, which the broker runs every second for
/// every live recording (so a crash loses at most that much) and `record` itself runs once `flushThreshold` bytes
/// are waiting (so memory stays bounded whatever the throughput). The first write error poisons the recorder and
/// every later `record` throws: the engine then stops the traffic instead of relaying unrecorded bytes.
public final class SessionRecorder: Sendable {
    public let url: URL
    /// Buffered bytes that make `record` write through at once.
    static let flushThreshold = 1 << 20
    private let started: ContinuousClock.Instant
    private let state: Mutex<State>
    private let writer: Mutex<FileHandle?>
    private let nextConnection = Atomic<Int64>(0)

    private struct State {
        var seq: Int64 = 0
        var lastHash = HashChain.genesis
        var pending: [UInt8] = []
        var failure: String?
        var ended = false
    }

    /// Starts the recording of session `sessionID` in `directory` (created 0700 if needed).
    public convenience init(directory: URL, sessionID: String, metadata: JSONValue) throws {
        try FileManager.default.createDirectory(
            at: directory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        try self.init(file: directory.appendingPathComponent("\(sessionID).jsonl"), metadata: metadata)
    }

    /// Starts a recording in `file` (created 0600) and writes its `start` event through to disk, so a recording
    /// that cannot be written is discovered before any traffic flows.
    public init(file: URL, metadata: JSONValue) throws {
        url = file
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw RecordingError(path: file.path, reason: "cannot create the recording file: errno \(errno)")
        }
        writer = Mutex(FileHandle(fileDescriptor: descriptor, closeOnDealloc: true))
        started = .now
        state = Mutex(State())
        try record(kind: .start, conn: 0, details: metadata)
        try flush()
    }

    /// A new connection number within the session, for `open`/`data`/`close` events.
    public func newConnection() -> Int64 {
        nextConnection.add(1, ordering: .relaxed).newValue
    }

    public func record(
        kind: RecordingKind,
        conn: Int64,
        dir: RecordingDirection? = nil,
        data: [UInt8]? = nil,
        details: JSONValue = [:]
    ) throws(RecordingError) {
        let elapsed = ContinuousClock.now - started
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        let encoded = data.map { Data($0).base64EncodedString() }
        let path = url.path
        let mustFlush = try state.withLock { state throws(RecordingError) -> Bool in
            if let failure = state.failure { throw RecordingError(path: path, reason: failure) }
            if state.ended { throw RecordingError(path: path, reason: "the recording has ended") }
            state.seq += 1
            let event = RecordingEvent(
                seq: state.seq,
                t: micros,
                kind: kind,
                conn: conn,
                dir: dir,
                data: encoded,
                details: details,
                prev: state.lastHash
            )
            state.lastHash = event.hash
            state.pending.append(contentsOf: Self.line(for: event))
            if kind == .end { state.ended = true }
            return state.pending.count >= Self.flushThreshold
        }
        if mustFlush { try flush() }
    }

    /// Writes buffered events to disk. Safe to call from any task; writes are serialized.
    public func flush() throws(RecordingError) {
        let path = url.path
        try writer.withLock { handle throws(RecordingError) in
            let bytes = try state.withLock { state throws(RecordingError) -> [UInt8] in
                if let failure = state.failure { throw RecordingError(path: path, reason: failure) }
                defer { state.pending.removeAll(keepingCapacity: true) }
                return state.pending
            }
            guard !bytes.isEmpty, let handle else { return }
            do {
                try handle.write(contentsOf: bytes)
            } catch {
                let reason = "write failed: \(error.localizedDescription)"
                state.withLock { $0.failure = reason }
                throw RecordingError(path: path, reason: reason)
            }
        }
    }

    /// Records the `end` event, flushes, syncs and closes the file. Returns the recording's digest (its last hash),
    /// which the caller seals into the audit chain.
    public func finish(details: JSONValue) throws(RecordingError) -> RecordingSummary {
        let alreadyEnded = state.withLock { $0.ended }
        if !alreadyEnded { try record(kind: .end, conn: 0, details: details) }
        try flush()
        let path = url.path
        try writer.withLock { handle throws(RecordingError) in
            do {
                try handle?.synchronize()
                try handle?.close()
            } catch {
                throw RecordingError(path: path, reason: "sync failed: \(error.localizedDescription)")
            }
            handle = nil
        }
        return state.withLock { RecordingSummary(events: $0.seq, digest: $0.lastHash) }
    }

    public var failure: String? { state.withLock { $0.failure } }

    private static func line(for event: RecordingEvent) -> [UInt8] {
        var object: [String: JSONValue] = [:]
        if case .object(let body) = event.hashedBody { object = body }
        object["prev"] = .string(event.prev)
        object["hash"] = .string(event.hash)
        return CanonicalJSON.encode(.object(object)) + [UInt8(ascii: "\n")]
    }
}

/// The sealed facts of a finished recording.
public struct RecordingSummary: Sendable, Equatable {
    public var events: Int64
    public var digest: String
}

/// A recording write failed; traffic for the session must stop.
public struct RecordingError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "recording \(path): \(reason)" }
}
