import Foundation
import HoopCore

/// An approval request as a tool reports it: what waits, on whom, until when, and what to do next.
struct ApprovalOutput: Codable, Sendable {
    var status: MCPOutcomeStatus
    var approvalID: Int64
    var kind: String
    var state: String
    var resource: String
    var rule: String
    var approvers: [String]
    var minApprovals: Int
    var statement: String?
    var decisions: [Decision]
    var createdAt: String
    var expiresAt: String
    var next: String?

    struct Decision: Codable, Sendable {
        var approver: String
        var approve: Bool
        var reason: String?
        var at: String
    }

    init(_ approval: ApprovalInfo, status: MCPOutcomeStatus, next: String? = nil) {
        self.status = status
        approvalID = approval.id
        kind = approval.kind.rawValue
        state = approval.status.rawValue
        resource = approval.resource
        rule = approval.rule
        approvers = approval.approverGroups
        minApprovals = approval.minApprovals
        statement = approval.statement
        decisions = approval.decisions.map {
            Decision(approver: $0.approver, approve: $0.approve, reason: $0.reason, at: Timestamp.format($0.at))
        }
        createdAt = Timestamp.format(approval.createdAt)
        expiresAt = Timestamp.format(approval.expiresAt)
        self.next = next
    }

    /// The usual outcome for a request still pending: how to come back to it.
    static func pending(_ approval: ApprovalInfo, tool: MCPToolName) -> ApprovalOutput {
        let approvers = approval.approverGroups.joined(separator: ", ")
        return ApprovalOutput(
            approval, status: .pendingApproval,
            next:
                "pending approval \(approval.id), approvers: \(approvers), expires \(Timestamp.format(approval.expiresAt)); "
                + "once approved, call \(tool.rawValue) again with the same arguments and approval_id \(approval.id)"
        )
    }

    enum CodingKeys: String, CodingKey {
        case status, kind, state, resource, rule, approvers, statement, decisions, next
        case approvalID = "approval_id"
        case minApprovals = "min_approvals"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
    }
}

/// A refusal an agent can act on: what refused it and why.
struct RefusalOutput: Codable, Sendable {
    var status: MCPOutcomeStatus
    var message: String
    var rule: String?
    var reason: String?
    var approvalID: Int64?

    enum CodingKeys: String, CodingKey {
        case status, message, rule, reason
        case approvalID = "approval_id"
    }
}
