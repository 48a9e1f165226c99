package import Foundation
package import HoopCore

/// Everything the broker persists. SQLite is the embedded default; a PostgreSQL implementation lets several brokers
/// share one state. Implementations serialize audit appends so the chain never forks.
package protocol Store: Sendable {
    /// Assigns the next sequence number, links the event to the chain head and persists it atomically.
    func appendAudit(_ draft: AuditDraft, at time: Date) async throws -> AuditEvent
    /// Events with `seq >= from`, in order.
    func auditEvents(from: Int64, limit: Int) async throws -> [AuditEvent]

    func insertSession(_ session: SessionRecord) async throws
    func session(id: String) async throws -> SessionRecord?
    /// Newest first; `subject == nil` lists everyone's.
    func sessions(issuer: String?, subject: String?, limit: Int) async throws -> [SessionRecord]
    func activeSessions() async throws -> [SessionRecord]
    /// Moves an active session to a final status. Returns false when it was not active (already ended).
    func endSession(id: String, status: SessionStatus, at time: Date, recordingDigest: String?) async throws -> Bool
    func addTraffic(sessionID: String, connections: Int, bytesUp: Int, bytesDown: Int) async throws

    /// Persists a new request and returns it with its assigned id.
    func insertApproval(_ approval: ApprovalRecord) async throws -> ApprovalRecord
    func approval(id: Int64) async throws -> ApprovalRecord?
    /// Newest first; `status == nil` lists every status.
    func approvals(status: ApprovalStatus?, limit: Int) async throws -> [ApprovalRecord]
    /// Stores `approval` with `version + 1` if the stored row still has `approval.version`. Returns the stored
    /// record, or nil when someone else changed it first (the caller re-reads and decides again).
    func updateApproval(_ approval: ApprovalRecord) async throws -> ApprovalRecord?

    /// The newest audit event (the chain head), nil on an empty chain.
    func auditHead() async throws -> AuditEvent?
    func appendCheckpoint(_ checkpoint: Checkpoint) async throws
    /// Checkpoints with `seq >= from`, in order.
    func checkpoints(from: Int64) async throws -> [Checkpoint]
    func lastCheckpoint() async throws -> Checkpoint?
}
