import Foundation
import HoopCore

/// Who may decide a request, checked once here for every engine: the request must be open, the approver in an
/// approver group, not its requester, and not already counted.
enum ApprovalRules {
    /// A denial tells the requester why; an approval's comment is optional.
    static func checkReason(approve: Bool, reason: String?) throws(BrokerError) {
        guard approve || !(reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw BrokerError(
                .badRequest, code: "reason_required", message: "a denial needs a reason",
                hint: "pass --reason, or write a comment")
        }
    }

    static func checkDecidable(_ approval: ApprovalRecord, by principal: Principal, now: Date)
        throws(BrokerError)
    {
        guard approval.status == .pending, approval.expiresAt > now else {
            let status = approval.status == .pending ? "expired" : approval.status.rawValue
            throw BrokerError(
                .badRequest, code: "approval_closed", message: "approval \(approval.id) is already \(status)")
        }
        guard !Set(principal.groups).isDisjoint(with: approval.approverGroups) else {
            throw BrokerError(
                .forbidden,
                code: "not_an_approver",
                message: "\(principal.displayName) is not in an approver group for approval \(approval.id)",
                hint: "approvers are members of: \(approval.approverGroups.joined(separator: ", "))"
            )
        }
        guard !approval.isRequested(by: principal) else {
            throw BrokerError(
                .forbidden,
                code: "self_approval",
                message: "\(principal.displayName) requested approval \(approval.id) and cannot decide it",
                hint: "ask another member of \(approval.approverGroups.joined(separator: ", "))"
            )
        }
        guard !approval.decisions.contains(where: { $0.isBy(principal) }) else {
            throw BrokerError(
                .badRequest,
                code: "already_decided",
                message: "\(principal.displayName) already decided approval \(approval.id)"
            )
        }
    }
}
