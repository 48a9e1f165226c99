import Foundation
import HoopCore
import Logging
import Metrics

/// Signs the audit log's tree head as a checkpoint note with the broker's audit key every `everyEvents` events or
/// `interval` seconds (whichever comes first, and only when the log grew), at start, at shutdown and before every
/// export — so any export ends at a signature an auditor can check offline, and witnesses have a head to cosign.
actor AuditCheckpointer {
    let origin: String
    private let store: any Store
    private let key: any EvidenceSigner
    private let everyEvents: Int64
    private let interval: TimeInterval
    private let logger: Logger
    private var lastSigned = Date()
    private let signed = Counter(label: "hoop_audit_checkpoints_total")

    init(
        origin: String, store: any Store, key: any EvidenceSigner, everyEvents: Int, interval: TimeInterval,
        logger: Logger
    ) {
        self.origin = origin
        self.store = store
        self.key = key
        self.everyEvents = Int64(everyEvents)
        self.interval = interval
        self.logger = logger
    }

    /// On a new store (no event, no checkpoint), signs the empty tree as checkpoint 0: the log's signed beginning.
    /// A store wiped and started again lacks it, and only the audit key can make another.
    func sealGenesis(now: Date = Date()) async throws {
        _ = try await inSigningTurn(wait: true) {
            guard try await self.store.lastCheckpoint() == nil else { return }
            // On a store migrated from the hash chain the first tree checkpoint covers what it already holds;
            // there is no signed beginning, and `broker audit` says so.
            try await self.sign(size: try await self.currentSize(), now: now)
        }
    }

    /// Signs the head when due (or always with `force`); returns the newest checkpoint, if any.
    ///
    /// Brokers sharing a store sign in turns (`Store.withSigningTurn`): a broker that finds the turn taken skips a
    /// due signature (the other broker is signing the same log), and a forced one waits for the turn, so an export
    /// still ends at a signature over everything before it.
    @discardableResult
    func checkpoint(force: Bool = false, now: Date = Date()) async throws -> StoredCheckpoint? {
        if let signed = try await inSigningTurn(
            wait: force, { try await self.checkpointInTurn(force: force, now: now) })
        {
            return signed
        }
        return try await store.lastCheckpoint()
    }

    /// Runs `body` in this broker's signing turn; nil when the turn stayed with another broker (after up to
    /// `turnWait` of asking again, with `wait`).
    private func inSigningTurn<Result: Sendable>(wait: Bool, _ body: @escaping @Sendable () async throws -> Result)
        async throws -> Result?
    {
        let deadline = ContinuousClock.now + Self.turnWait
        while true {
            if let result = try await store.withSigningTurn(body) { return result }
            guard wait, ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// How long a forced checkpoint waits for another broker to finish signing.
    private static let turnWait = Duration.seconds(10)

    private func checkpointInTurn(force: Bool, now: Date) async throws -> StoredCheckpoint? {
        let last = try await store.lastCheckpoint()
        let size = try await currentSize()
        guard size > (last?.checkpoint.size ?? -1) else { return last }
        let grown = size - (last?.checkpoint.size ?? 0)
        let due = grown >= everyEvents || now.timeIntervalSince(lastSigned) >= interval
        guard force || due else { return last }
        return try await sign(size: size, now: now)
    }

    /// The log's size alone: asked every second, so the root is computed only for a checkpoint actually signed.
    private func currentSize() async throws -> Int64 {
        try await store.withAuditTree { _, size in size }
    }

    /// Signs the tree of the first `size` events; events appended meanwhile do not change that tree's root.
    @discardableResult
    private func sign(size: Int64, now: Date) async throws -> StoredCheckpoint {
        let root = try await store.withAuditTree { tree, _ in try tree.rootHash(size: size) }
        let checkpoint = TreeCheckpoint(origin: origin, size: size, root: root)
        let stored = StoredCheckpoint(
            checkpoint: checkpoint, note: try checkpoint.signed(by: key), signedAt: Timestamp.format(now))
        try await store.appendCheckpoint(stored)
        lastSigned = now
        signed.increment()
        logger.debug("audit checkpoint", metadata: ["size": "\(size)", "root": "\(root.hex)"])
        return stored
    }
}
