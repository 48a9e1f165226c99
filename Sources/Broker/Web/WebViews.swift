import Foundation
import HoopCore

/// What the templates show, as plain values: everything is text already formatted here, so a template holds no
/// logic and Mustache escapes every field.
struct WebApprovalCard {
    var id: Int64
    var resource: String
    /// The statement or command as the API shows it (what the engine recorded, masked where the resource masks),
    /// or "a session" for session approvals.
    var subject: String
    var requester: String
    var rule: String
    var progress: String
    var status: String
    var created: String
    var expires: String

    init(_ approval: ApprovalInfo) {
        id = approval.id
        resource = approval.resource
        subject = approval.kind == .session ? "a session" : approval.statement ?? ""
        requester = approval.requester
        rule = approval.rule
        let approvals = Set(approval.decisions.filter(\.approve).map(\.approver)).count
        progress = "\(approvals) of \(approval.minApprovals) approval(s)"
        status = approval.status.rawValue
        created = Timestamp.format(approval.createdAt)
        expires = Timestamp.format(approval.expiresAt)
    }
}

struct WebApprovalListView {
    var groups: String
    var approvals: [WebApprovalCard]
}

struct WebDecisionLine {
    var verdict: String
    var approver: String
    var at: String
    var comment: String?
}

struct WebSessionLine {
    var id: String
    var resource: String
    var status: String
    var started: String
}

struct WebApprovalView {
    var id: Int64
    var status: String
    var notice: String?
    var error: String?
    var requester: String
    var resource: String
    var kind: String
    var statement: String?
    var reason: String
    var rule: String
    var approvers: String
    var progress: String
    var created: String
    var expires: String
    var session: String?
    var hasDecisions: Bool
    var decisions: [WebDecisionLine]
    var pending: Bool
    var csrf: String
    var history: [WebApprovalCard]
    var sessions: [WebSessionLine]

    init(
        _ approval: ApprovalInfo, csrf: String, history: [WebApprovalCard], sessions: [WebSessionLine],
        notice: String?, error: String?, now: Date
    ) {
        let card = WebApprovalCard(approval)
        id = approval.id
        status = approval.status == .pending && approval.expiresAt <= now ? "expired" : approval.status.rawValue
        self.notice = notice
        self.error = error
        requester = approval.requester
        resource = approval.resource
        kind = approval.kind == .session ? "a session" : "a statement"
        statement = approval.kind == .session ? nil : approval.statement
        reason = approval.reason ?? "(none given)"
        rule = approval.rule
        approvers = approval.approverGroups.joined(separator: ", ")
        progress = card.progress
        created = card.created
        expires = card.expires
        session = approval.session
        decisions = approval.decisions.map {
            WebDecisionLine(
                verdict: $0.approve ? "Approved" : "Denied", approver: $0.approver, at: Timestamp.format($0.at),
                comment: $0.reason)
        }
        hasDecisions = !decisions.isEmpty
        pending = status == ApprovalStatus.pending.rawValue
        self.csrf = csrf
        self.history = history
        self.sessions = sessions
    }
}

struct WebSessionView {
    var id: String
    var who: String
    var resource: String
    var type: String
    var status: String
    var reason: String
    var started: String
    var ended: String
    var expires: String
    var connections: Int
    var bytesUp: Int
    var bytesDown: Int
    var statements: [String]
    var recordingProblem: String?

    init(_ session: SessionRecord, statements: [String], recordingProblem: String?) {
        id = session.id
        who = session.email ?? session.subject
        resource = session.resource
        type = session.resourceType.rawValue
        status = session.status.rawValue
        reason = session.reason ?? "(none given)"
        started = Timestamp.format(session.createdAt)
        ended = session.endedAt.map(Timestamp.format) ?? "(still open)"
        expires = Timestamp.format(session.expiresAt)
        connections = session.connections
        bytesUp = session.bytesUp
        bytesDown = session.bytesDown
        self.statements = statements
        self.recordingProblem = recordingProblem
    }
}

struct WebReplayView {
    var id: String
    var text: String
}

struct WebLoginView {
    struct Option {
        var label: String
        var href: String
    }

    var error: String?
    var options: [Option]
}
