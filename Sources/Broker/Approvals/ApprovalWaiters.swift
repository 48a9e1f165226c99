import Foundation

/// Tasks waiting for a request to be decided. A decision, an expiry or the waiter's own deadline wakes them; each
/// continuation is resumed exactly once because it is removed from the table before it is resumed.
struct ApprovalWaiters {
    private var waiting: [Int64: [UUID: CheckedContinuation<Void, Never>]] = [:]

    mutating func add(_ continuation: CheckedContinuation<Void, Never>, id: Int64, token: UUID) {
        waiting[id, default: [:]][token] = continuation
    }

    /// Wakes one waiter (its deadline passed or its task was cancelled).
    mutating func wake(id: Int64, token: UUID) {
        waiting[id]?.removeValue(forKey: token)?.resume()
    }

    /// Wakes everyone waiting on `id` (the request changed).
    mutating func wakeAll(id: Int64) {
        for continuation in waiting.removeValue(forKey: id)?.values ?? [:].values {
            continuation.resume()
        }
    }
}
