package import Foundation
package import HoopCore

/// Everything the broker persists. SQLite is the embedded default; a PostgreSQL implementation lets several brokers
/// share one state. Implementations serialize audit appends so the log's tree never forks, and announce every change
/// another broker must react to on `changes` (see `StoreChange`).
package protocol Store: Sendable {
    /// Assigns the next sequence number and persists the event with the tree nodes it completes, atomically.
    func appendAudit(_ draft: AuditDraft, at time: Date) async throws -> AuditEvent
    /// Events with `seq >= from`, in order.
    func auditEvents(from: Int64, limit: Int) async throws -> [AuditEvent]

    func insertSession(_ session: SessionRecord) async throws
    func session(id: String) async throws -> SessionRecord?
    /// Newest first; `subject == nil` lists everyone's.
    func sessions(issuer: String?, subject: String?, limit: Int) async throws -> [SessionRecord]
    func activeSessions() async throws -> [SessionRecord]
    /// Hands an active session owned by `from` to `to` (compare-and-set on the owner). Returns false when the
    /// session is not active or someone else took it first: exactly one surviving broker claims a dead one's session.
    func transferSession(id: String, from: String?, to: String) async throws -> Bool
    /// Moves an active session to a final status and announces `.session(id)`. Returns false when it was not active
    /// (already ended).
    func endSession(id: String, status: SessionStatus, at time: Date, recordingDigest: String?) async throws -> Bool
    func addTraffic(sessionID: String, connections: Int, bytesUp: Int, bytesDown: Int) async throws

    /// Persists a new request and returns it with its assigned id.
    func insertApproval(_ approval: ApprovalRecord) async throws -> ApprovalRecord
    func approval(id: Int64) async throws -> ApprovalRecord?
    /// Newest first; `status == nil` lists every status.
    func approvals(status: ApprovalStatus?, limit: Int) async throws -> [ApprovalRecord]
    /// Stores `approval` with `version + 1` if the stored row still has `approval.version`, and announces
    /// `.approval(id)`. Returns the stored record, or nil when someone else changed it first (the caller re-reads and
    /// decides again).
    func updateApproval(_ approval: ApprovalRecord) async throws -> ApprovalRecord?

    /// The size and root of the audit log's tree over every event appended so far, read in one transaction.
    func treeHead() async throws -> TreeHead
    /// Runs `body` over the stored tree and its size, in one read transaction: for proofs and compact ranges.
    func withAuditTree<Result: Sendable>(
        _ body: @escaping @Sendable (any MerkleNodeSource, Int64) throws -> Result
    ) async throws -> Result
    func appendCheckpoint(_ checkpoint: StoredCheckpoint) async throws
    /// Checkpoints of size `fromSize` or more, smallest first.
    func checkpoints(fromSize: Int64) async throws -> [StoredCheckpoint]
    func lastCheckpoint() async throws -> StoredCheckpoint?
    /// The largest checkpoint any witness cosigned.
    func lastCosignedCheckpoint() async throws -> StoredCheckpoint?
    /// Adds witnesses' cosignature lines to the stored checkpoint of `size` (one per witness name).
    func addCosignatures(_ lines: [NoteSignature], size: Int64) async throws
    /// The largest size each witness cosigned, by witness name.
    func witnessedSizes() async throws -> [String: Int64]
    /// The log's origin: the one stored, or `proposed` stored now on a new store.
    func logOrigin(proposed: String) async throws -> String
    /// The pinned tool definitions of an MCP resource, by tool name.
    func toolPins(resource: String) async throws -> [String: ToolPin]
    /// Pins a tool's definition, replacing an earlier pin of the same tool.
    func pinTool(_ pin: ToolPin) async throws

    /// Records a broker process of the deployment (a new row per start) or refreshes its row.
    func registerBroker(_ instance: BrokerInstance) async throws
    /// Moves the broker's `lastSeen` forward; a broker whose heartbeat stops is presumed dead by the others.
    func heartbeat(brokerID: String, at time: Date) async throws
    /// Says the broker stopped cleanly.
    func brokerStopped(brokerID: String, at time: Date) async throws
    /// Every broker that ever registered, newest start first, at most `limit`.
    func brokers(limit: Int) async throws -> [BrokerInstance]

    /// What other writers changed: every `endSession` and `updateApproval` of any broker sharing the store, soon
    /// after it commits (a single-broker store announces its own). Each call returns a new stream; a consumer that
    /// falls behind may miss announcements, so it also re-reads the store on a timer (the sweep).
    func changes() -> AsyncStream<StoreChange>
    /// Adds this broker's rejected credentials per source in one window (`window`: the window's number, seconds
    /// since 1970 divided by its length) and returns the deployment's totals for the same sources and window, so a
    /// source that spreads bad tokens over every broker is throttled as if it had hit one. Windows older than an
    /// hour are forgotten.
    func addRejections(_ counts: [String: Int], window: Int64) async throws -> [String: Int]
    /// Runs `body` if this broker holds the deployment's signing turn (no other broker is running `body` now), and
    /// returns nil without running it when another holds it: checkpoints are signed by one broker at a time.
    func withSigningTurn<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result?

    /// Releases what the store holds open (a shared store's connections and listener) and ends every `changes()`
    /// stream; the broker calls it last, once nothing uses the store any more.
    func close() async
}

/// A change one broker made that another may be waiting for.
package enum StoreChange: Sendable, Hashable {
    /// The approval request was decided, used, withdrawn or expired.
    case approval(Int64)
    /// The session ended (closed, revoked, expired).
    case session(String)
}

/// The audit log's tree at one moment.
package struct TreeHead: Sendable, Equatable {
    package var size: Int64
    package var root: TreeHash
}

/// A checkpoint as the store keeps it: the signed note (with any cosignatures), its parsed body, and when the
/// broker signed it (RFC 3339, not part of what is signed).
package struct StoredCheckpoint: Sendable, Equatable {
    package var checkpoint: TreeCheckpoint
    package var note: SignedNote
    package var signedAt: String

    package init(checkpoint: TreeCheckpoint, note: SignedNote, signedAt: String) {
        self.checkpoint = checkpoint
        self.note = note
        self.signedAt = signedAt
    }
}
