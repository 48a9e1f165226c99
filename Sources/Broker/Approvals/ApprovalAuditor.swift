import HoopCore

/// Writes approval events into the audit log, with the request's identity, rule and statement digest on each.
/// A failed write refuses the change it describes.
struct ApprovalAuditor: Sendable {
    let audit: AuditLog

    func record(
        _ actor: String,
        _ event: ApprovalEvent,
        _ approval: ApprovalRecord,
        _ decision: AuditDecision,
        _ extra: [String: JSONValue]
    ) async throws(BrokerError) {
        var details: [String: JSONValue] = [
            "approval": .int(approval.id), "kind": .string(approval.kind.rawValue), "rule": .string(approval.rule),
            "requester": .string(approval.requesterName),
            "approvers": .array(approval.approverGroups.map { .string($0) }),
            "min_approvals": .int(Int64(approval.minApprovals)),
        ]
        if let statement = approval.statement { details["statement"] = .string(statement) }
        if let digest = approval.statementSHA256 { details["statement_sha256"] = .string(digest) }
        if event == .requested {
            details["reason"] = JSONValue(approval.reason)
            details["expires_at"] = .string(Timestamp.format(approval.expiresAt))
        }
        details.merge(extra) { _, new in new }
        do {
            try await audit.record(
                AuditDraft(
                    actor: actor,
                    action: event.auditAction,
                    resource: approval.resource,
                    session: approval.session,
                    decision: decision,
                    details: .object(details)
                )
            )
        } catch {
            throw .auditUnavailable(error)
        }
    }
}
