import Synchronization

/// Maps the connection ids the broker gives MySQL clients to the target's real thread ids. `mysql` answers Ctrl-C
/// by opening a second connection and sending `KILL QUERY <id>` with the id from the greeting; that id is the
/// broker's, so it finds this connection's target thread — and only within the same session, so an id from another
/// session (whose thread runs as the same held user on the target) kills nothing.
final class MySQLConnectionIDs: Sendable {
    struct Target: Sendable {
        var sessionID: String
        var threadID: UInt32
        /// Withdraws what the issuing connection holds for approval: a statement the target has not seen cannot
        /// be killed there, so the broker refuses it itself.
        var cancelHeld: @Sendable () -> Void = {}
    }

    private let entries = Mutex<[UInt32: Target]>([:])

    /// A fresh id for a connection whose target thread is not known yet (the greeting goes out first).
    func reserve(sessionID: String) -> UInt32 {
        while true {
            let id = UInt32.random(in: 1...UInt32(Int32.max))
            let inserted = entries.withLock { entries in
                guard entries[id] == nil else { return false }
                entries[id] = Target(sessionID: sessionID, threadID: 0)
                return true
            }
            if inserted { return id }
        }
    }

    /// Binds a reserved id to the target thread the broker's login got.
    func bind(_ id: UInt32, to target: Target) {
        entries.withLock { $0[id] = target }
    }

    /// The target behind `id`, if `id` belongs to `sessionID` and its login finished.
    func target(_ id: UInt32, sessionID: String) -> Target? {
        entries.withLock { entries in
            guard let target = entries[id], target.sessionID == sessionID, target.threadID != 0 else { return nil }
            return target
        }
    }

    func release(_ id: UInt32) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }
}
