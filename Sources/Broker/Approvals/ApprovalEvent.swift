import HoopCore

/// What can happen to an approval request, under both names it travels by: the audit log's action and the
/// approver webhook's `event` field. The two spellings differ for historical reasons (`approval.request` in the
/// chain, `approval.requested` on the webhook) and both are stable formats, so each case states both here, once.
enum ApprovalEvent: Sendable, CaseIterable {
    case requested
    case approved
    case denied
    case used
    case expired
    case withdrawn

    /// The event for a request that an approver's decision has just closed, if it did.
    init?(closing status: ApprovalStatus) {
        switch status {
        case .approved: self = .approved
        case .denied: self = .denied
        case .pending, .expired, .used, .withdrawn: return nil
        }
    }

    /// The audit log's action (stable; see DESIGN.md, evidence formats).
    var auditAction: AuditAction {
        switch self {
        case .requested: .approvalRequest
        case .approved: .approvalApprove
        case .denied: .approvalDeny
        case .used: .approvalUse
        case .expired: .approvalExpire
        case .withdrawn: .approvalWithdraw
        }
    }

    /// The webhook `event` value (stable; README, approvals), or nil for what approvers are not told about: a
    /// request being spent concerns only its requester.
    var webhookEvent: String? {
        switch self {
        case .requested: "approval.requested"
        case .approved: "approval.approved"
        case .denied: "approval.denied"
        case .used: nil
        case .expired: "approval.expired"
        // Approvers are told so that nobody approves what nobody waits for any more.
        case .withdrawn: "approval.withdrawn"
        }
    }
}
