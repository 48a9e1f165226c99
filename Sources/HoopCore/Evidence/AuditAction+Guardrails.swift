/// The actions guardrails and approvals write. The spellings are part of the audit format and never change; they live
/// beside the verifier because it checks that every approval spent was approved for the statement that ran.
extension AuditAction {
    /// A guardrail refused a statement, command or request (also what the broker cannot read on a guarded resource).
    package static let statementBlock = AuditAction(rawValue: "statement.block")
    /// An approval request was opened.
    package static let approvalRequest = AuditAction(rawValue: "approval.request")
    /// An approver said yes (the request may still need more approvers).
    package static let approvalApprove = AuditAction(rawValue: "approval.approve")
    /// An approver said no; the request is closed.
    package static let approvalDeny = AuditAction(rawValue: "approval.deny")
    /// An approved request was spent on what it was approved for.
    package static let approvalUse = AuditAction(rawValue: "approval.use")
    /// A request was not decided in time.
    package static let approvalExpire = AuditAction(rawValue: "approval.expire")
    /// A request was given up by its side (`details.why`): the requester cancelled it, or the client holding the
    /// statement disconnected or cancelled; it covers nothing afterwards.
    package static let approvalWithdraw = AuditAction(rawValue: "approval.withdraw")
}

extension AuditAction {
    /// One of the approval actions, which share the `approval` id in their details.
    package var isApproval: Bool { rawValue.hasPrefix("approval.") }
}

extension AuditEvent {
    /// The approval request an approval event is about (`details.approval`), nil for any other event.
    package var approvalID: Int64? {
        kind.isApproval ? details["approval"]?.intValue : nil
    }
}
