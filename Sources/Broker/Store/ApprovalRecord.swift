public import Foundation
public import HoopCore

/// An approval request as stored. `version` increases on every change, so two brokers (or two approvers racing)
/// cannot both move the same request: updates are compare-and-set on it.
public struct ApprovalRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var kind: ApprovalKind
    public var status: ApprovalStatus
    public var requesterIssuer: String
    public var requesterSubject: String
    public var requesterName: String
    public var resource: String
    public var session: String?
    public var statement: String?
    public var statementSHA256: String?
    public var reason: String?
    public var rule: String
    public var approverGroups: [String]
    public var minApprovals: Int
    public var decisions: [ApprovalDecisionRecord]
    public var createdAt: Date
    public var expiresAt: Date
    public var version: Int64

    public var info: ApprovalInfo {
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

    public func isRequested(by principal: Principal) -> Bool {
        principal.issuer == requesterIssuer && principal.subject == requesterSubject
    }

    /// Distinct approvers who approved.
    public var approvalCount: Int {
        Set(decisions.filter(\.approve).map { "\($0.approverIssuer) \($0.approverSubject)" }).count
    }
}

/// One approver's decision, with the identity it was made under.
public struct ApprovalDecisionRecord: Sendable, Equatable, Codable {
    public var approverIssuer: String
    public var approverSubject: String
    public var approverName: String
    public var approve: Bool
    public var reason: String?
    public var at: Date

    public func isBy(_ principal: Principal) -> Bool {
        principal.issuer == approverIssuer && principal.subject == approverSubject
    }
}
