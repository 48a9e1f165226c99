import Synchronization

/// Hands each `StoreChange` to every open `Store.changes()` stream of this process. The embedded store announces its
/// own writes through it; a shared store feeds it from the database's notifications.
package final class StoreChangeBroadcaster: Sendable {
    private let listeners = Mutex<[Int: AsyncStream<StoreChange>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    package init() {}

    /// A new stream of every change announced from now on; it ends when its consumer stops iterating. A consumer
    /// that falls more than `buffer` changes behind loses the oldest (it re-reads the store on its sweep anyway).
    package func stream(buffer: Int = 1024) -> AsyncStream<StoreChange> {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream.makeStream(
            of: StoreChange.self, bufferingPolicy: .bufferingNewest(buffer))
        continuation.onTermination = { [weak self] _ in
            _ = self?.listeners.withLock { $0.removeValue(forKey: id) }
        }
        listeners.withLock { $0[id] = continuation }
        return stream
    }

    package func announce(_ change: StoreChange) {
        for continuation in listeners.withLock({ Array($0.values) }) {
            continuation.yield(change)
        }
    }

    /// Ends every stream (the store is closing).
    package func finish() {
        for continuation in listeners.withLock({ state in
            defer { state.removeAll() }
            return Array(state.values)
        }) {
            continuation.finish()
        }
    }
}
