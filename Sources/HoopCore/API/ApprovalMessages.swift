package import Foundation

/// What an approval request is for: one exact statement, or a whole session on a resource.
package enum ApprovalKind: String, Codable, Sendable, Equatable {
    case statement
    case session
}

/// Lifecycle of an approval request. `approved` requests are single-use: running the statement (or opening the
/// session) moves them to `used`, so one approval never covers two executions. `withdrawn` requests were given up
/// by their side: the requester cancelled, or the client holding the statement left or sent a CancelRequest.
package enum ApprovalStatus: String, Codable, Sendable, Equatable, CaseIterable {
    case pending
    case approved
    case denied
    case expired
    case used
    case withdrawn

    /// Whether the request can still change.
    package var isOpen: Bool { self == .pending || self == .approved }
}

/// One approver's decision on a request.
package struct ApprovalDecisionInfo: Codable, Sendable, Equatable {
    package var approver: String
    package var approve: Bool
    package var reason: String?
    package var at: Date

    package init(approver: String, approve: Bool, reason: String?, at: Date) {
        self.approver = approver
        self.approve = approve
        self.reason = reason
        self.at = at
    }
}

/// An approval request as the API reports it. `statementSHA256` is what an approval binds to: the same requester
/// running a different statement needs a new approval.
package struct ApprovalInfo: Codable, Sendable, Equatable {
    package var id: Int64
    package var kind: ApprovalKind
    package var status: ApprovalStatus
    package var requester: String
    package var resource: String
    package var session: String?
    package var statement: String?
    package var statementSHA256: String?
    package var reason: String?
    /// The guardrail that asked for the approval (`session_approval` for session requests).
    package var rule: String
    package var approverGroups: [String]
    package var minApprovals: Int
    package var decisions: [ApprovalDecisionInfo]
    package var createdAt: Date
    package var expiresAt: Date

    package init(
        id: Int64,
        kind: ApprovalKind,
        status: ApprovalStatus,
        requester: String,
        resource: String,
        session: String?,
        statement: String?,
        statementSHA256: String?,
        reason: String?,
        rule: String,
        approverGroups: [String],
        minApprovals: Int,
        decisions: [ApprovalDecisionInfo],
        createdAt: Date,
        expiresAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.status = status
        self.requester = requester
        self.resource = resource
        self.session = session
        self.statement = statement
        self.statementSHA256 = statementSHA256
        self.reason = reason
        self.rule = rule
        self.approverGroups = approverGroups
        self.minApprovals = minApprovals
        self.decisions = decisions
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// The command an approver runs, for status lines and notifications.
    package var approveCommand: String { "hoopctl approvals approve \(id)" }

    enum CodingKeys: String, CodingKey {
        case id, kind, status, requester, resource, session, statement, reason, rule, decisions
        case statementSHA256 = "statement_sha256"
        case approverGroups = "approver_groups"
        case minApprovals = "min_approvals"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
    }
}

/// Body of `POST /v1/approvals/{id}/approve` and `/deny`.
package struct ApprovalDecisionRequest: Codable, Sendable, Equatable {
    package var reason: String?

    package init(reason: String?) {
        self.reason = reason
    }
}

/// Answer to `POST /v1/sessions` for a resource whose sessions need approval: the session is not granted yet.
/// The client waits on the request, then asks again with `SessionRequest.approval` set.
package struct SessionPendingResponse: Codable, Sendable, Equatable {
    package var approval: ApprovalInfo

    package init(approval: ApprovalInfo) {
        self.approval = approval
    }
}

/// Tunnel request headers a client uses to say how a held statement should be treated.
package enum ApprovalHeader {
    /// `wait` (default) or `no-wait`.
    package static let mode = "Hoop-Approval-Mode"
    /// The id of an approved request the client wants to use for the statement it is about to send.
    package static let approval = "Hoop-Approval"
}
