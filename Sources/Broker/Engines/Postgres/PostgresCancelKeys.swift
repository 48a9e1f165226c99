import NIOCore
import Synchronization

/// Maps the backend keys the broker gives clients to the target's real ones. A CancelRequest arrives on a fresh
/// connection with only the key, so this is how it finds the query to cancel — and only within the same session,
/// so a key from another session's client cancels nothing.
final class PostgresCancelKeys: Sendable {
    struct Target: Sendable {
        var sessionID: String
        var processID: Int32
        var secretKey: ByteBuffer
        /// Withdraws what the issuing connection holds for approval, and answers whether it held anything: a
        /// statement the target has not seen cannot be cancelled there, so the broker cancels it itself.
        var cancelHeld: (@Sendable () -> EventLoopFuture<Bool>)?
    }

    private struct Key: Hashable {
        var processID: Int32
        var secretKey: ByteBuffer
    }

    private let entries = Mutex<[Key: Target]>([:])

    /// Registers the target's key and returns the one the client gets: the real process id (drivers compare it
    /// with `pg_backend_pid()`, and it is no secret) with a fresh random secret in place of the target's.
    func issue(for target: Target) -> (processID: Int32, secretKey: ByteBuffer) {
        while true {
            let processID = target.processID
            let secretKey = ByteBuffer(integer: UInt32.random(in: 0...UInt32.max))
            let inserted = entries.withLock { entries in
                let key = Key(processID: processID, secretKey: secretKey)
                guard entries[key] == nil else { return false }
                entries[key] = target
                return true
            }
            if inserted { return (processID, secretKey) }
        }
    }

    func target(processID: Int32, secretKey: ByteBuffer, sessionID: String) -> Target? {
        entries.withLock { entries in
            guard let target = entries[Key(processID: processID, secretKey: secretKey)] else { return nil }
            return target.sessionID == sessionID ? target : nil
        }
    }

    /// The session a key belongs to. On the broker's direct port a CancelRequest arrives with nothing else, so
    /// the key is what finds the session (whose admission is then checked like any other connection's).
    func sessionID(processID: Int32, secretKey: ByteBuffer) -> String? {
        entries.withLock { $0[Key(processID: processID, secretKey: secretKey)]?.sessionID }
    }

    func revoke(processID: Int32, secretKey: ByteBuffer) {
        _ = entries.withLock { $0.removeValue(forKey: Key(processID: processID, secretKey: secretKey)) }
    }
}
