package import HoopCore

/// The actions guardrails and approvals write. The spellings are part of the audit format and never change.
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
}
