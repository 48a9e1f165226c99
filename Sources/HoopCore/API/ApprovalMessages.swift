public import Foundation

/// What an approval request is for: one exact statement, or a whole session on a resource.
public enum ApprovalKind: String, Codable, Sendable, Equatable {
    case statement
    case session
}

/// Lifecycle of an approval request. `approved` requests are single-use: running the statement (or opening the
/// session) moves them to `used`, so one approval never covers two executions.
public enum ApprovalStatus: String, Codable, Sendable, Equatable, CaseIterable {
    case pending
    case approved
    case denied
    case expired
    case used

    /// Whether the request can still change.
    public var isOpen: Bool { self == .pending || self == .approved }
}

/// One approver's decision on a request.
public struct ApprovalDecisionInfo: Codable, Sendable, Equatable {
    public var approver: String
    public var approve: Bool
    public var reason: String?
    public var at: Date

    public init(approver: String, approve: Bool, reason: String?, at: Date) {
        self.approver = approver
        self.approve = approve
        self.reason = reason
        self.at = at
    }
}

/// An approval request as the API reports it. `statementSHA256` is what an approval binds to: the same requester
/// running a different statement needs a new approval.
public struct ApprovalInfo: Codable, Sendable, Equatable {
    public var id: Int64
    public var kind: ApprovalKind
    public var status: ApprovalStatus
    public var requester: String
    public var resource: String
    public var session: String?
    public var statement: String?
    public var statementSHA256: String?
    public var reason: String?
    /// The guardrail that asked for the approval (`session_approval` for session requests).
    public var rule: String
    public var approverGroups: [String]
    public var minApprovals: Int
    public var decisions: [ApprovalDecisionInfo]
    public var createdAt: Date
    public var expiresAt: Date

    public init(
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
    public var approveCommand: String { "hoopctl approvals approve \(id)" }

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
public struct ApprovalDecisionRequest: Codable, Sendable, Equatable {
    public var reason: String?

    public init(reason: String?) {
        self.reason = reason
    }
}

/// Answer to `POST /v1/sessions` for a resource whose sessions need approval: the session is not granted yet.
/// The client waits on the request, then asks again with `SessionRequest.approval` set.
public struct SessionPendingResponse: Codable, Sendable, Equatable {
    public var approval: ApprovalInfo

    public init(approval: ApprovalInfo) {
        self.approval = approval
    }
}

/// Tunnel request headers a client uses to say how a held statement should be treated.
public enum ApprovalHeader {
    /// `wait` (default) or `no-wait`.
    public static let mode = "Hoop-Approval-Mode"
    /// The id of an approved request the client wants to use for the statement it is about to send.
    public static let approval = "Hoop-Approval"
}
