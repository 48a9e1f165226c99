import Crypto
import Foundation
import HoopCore
import Logging
import Metrics

/// Signs the audit chain's head with the broker's audit key every `everyEvents` events or `interval` seconds
/// (whichever comes first, and only when the chain grew), at shutdown, and before every export — so any exported
/// range ends at a signature an auditor can check offline with nothing but the public key.
actor AuditCheckpointer {
    private let store: any Store
    private let key: any EvidenceSigner
    private let everyEvents: Int64
    private let interval: TimeInterval
    private let logger: Logger
    private var lastSigned = Date()
    private let signed = Counter(label: "hoop_audit_checkpoints_total")

    init(store: any Store, key: any EvidenceSigner, everyEvents: Int, interval: TimeInterval, logger: Logger) {
        self.store = store
        self.key = key
        self.everyEvents = Int64(everyEvents)
        self.interval = interval
        self.logger = logger
    }

    /// On a new store (no event, no checkpoint), signs the empty chain as checkpoint 0: the log's signed beginning.
    /// A store wiped and started again lacks it, and only the audit key can make another.
    func sealGenesis(now: Date = Date()) async throws {
        guard try await store.lastCheckpoint() == nil, try await store.auditHead() == nil else { return }
        let genesis = try Checkpoint.sign(
            seq: 0, hash: HashChain.genesis, time: Timestamp.format(now), previous: 0, key: key)
        try await store.appendCheckpoint(genesis)
        signed.increment()
    }

    /// Signs the head when due (or always with `force`); returns the newest checkpoint, if any.
    @discardableResult
    func checkpoint(force: Bool = false, now: Date = Date()) async throws -> Checkpoint? {
        let last = try await store.lastCheckpoint()
        guard let head = try await store.auditHead(), head.seq > (last?.seq ?? 0) else { return last }
        let due = head.seq - (last?.seq ?? 0) >= everyEvents || now.timeIntervalSince(lastSigned) >= interval
        guard force || due else { return last }
        let checkpoint = try Checkpoint.sign(
            seq: head.seq, hash: head.hash, time: Timestamp.format(now), previous: last?.seq ?? 0, key: key)
        try await store.appendCheckpoint(checkpoint)
        lastSigned = now
        signed.increment()
        logger.debug("audit checkpoint", metadata: ["seq": "\(head.seq)"])
        return checkpoint
    }
}
