package import Foundation
package import HoopCore

/// An approval request as stored. `version` increases on every change, so two brokers (or two approvers racing)
/// cannot both move the same request: updates are compare-and-set on it.
package struct ApprovalRecord: Sendable, Equatable, Codable {
    package var id: Int64
    package var kind: ApprovalKind
    package var status: ApprovalStatus
    package var requesterIssuer: String
    package var requesterSubject: String
    package var requesterName: String
    package var resource: String
    package var session: String?
    package var statement: String?
    package var statementSHA256: String?
    package var reason: String?
    package var rule: String
    package var approverGroups: [String]
    package var minApprovals: Int
    package var decisions: [ApprovalDecisionRecord]
    package var createdAt: Date
    package var expiresAt: Date
    package var version: Int64

    package var info: ApprovalInfo {
        ApprovalInfo(
            id: id,
            kind: kind,
            status: status,
            requester: requesterName,
            resource: resource,
            session: session,
            statement: statement,
            statementSHA256: statementSHA256,
            reason: reason,
            rule: rule,
            approverGroups: approverGroups,
            minApprovals: minApprovals,
            decisions: decisions.map {
                ApprovalDecisionInfo(approver: $0.approverName, approve: $0.approve, reason: $0.reason, at: $0.at)
            },
            createdAt: createdAt,
            expiresAt: expiresAt
        )
    }

    package func isRequested(by principal: Principal) -> Bool {
        principal.issuer == requesterIssuer && principal.subject == requesterSubject
    }

    /// When the request became approved: the decision that completed it. Nil unless it is approved (or was, and
    /// has been used since).
    package var approvedAt: Date? {
        guard status == .approved || status == .used else { return nil }
        return decisions.last(where: \.approve)?.at
    }

    /// Distinct approvers who approved.
    package var approvalCount: Int {
        Set(decisions.filter(\.approve).map { "\($0.approverIssuer) \($0.approverSubject)" }).count
    }
}

/// One approver's decision, with the identity it was made under.
package struct ApprovalDecisionRecord: Sendable, Equatable, Codable {
    package var approverIssuer: String
    package var approverSubject: String
    package var approverName: String
    package var approve: Bool
    package var reason: String?
    package var at: Date

    package func isBy(_ principal: Principal) -> Bool {
        principal.issuer == approverIssuer && principal.subject == approverSubject
    }
}
