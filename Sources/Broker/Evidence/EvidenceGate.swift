import Synchronization

/// Whether evidence lets the broker admit new work: closed only when fail-closed witnessing is configured and
/// the witnesses have been missing past the grace period.
final class EvidenceGate: Sendable {
    private let closedReason = Mutex<String?>(nil)

    init() {}

    /// Nil when open; otherwise why new sessions and tunnels are refused.
    var refusal: String? { closedReason.withLock { $0 } }

    func close(reason: String) { closedReason.withLock { $0 = reason } }

    func open() { closedReason.withLock { $0 = nil } }
}
