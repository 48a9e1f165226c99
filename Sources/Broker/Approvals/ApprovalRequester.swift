import HoopCore

/// Who asked for an approval: the identity a statement or session runs under. Self-approval is judged on
/// issuer and subject, never on the display name.
struct ApprovalRequester: Sendable, Equatable {
    var issuer: String
    var subject: String
    var name: String

    init(_ principal: Principal) {
        issuer = principal.issuer
        subject = principal.subject
        name = principal.displayName
    }

    init(_ session: SessionRecord) {
        issuer = session.issuer
        subject = session.subject
        name = session.email ?? session.subject
    }

    func made(_ approval: ApprovalRecord) -> Bool {
        approval.requesterIssuer == issuer && approval.requesterSubject == subject
    }
}

/// What a new approval request is about.
struct ApprovalDraft: Sendable {
    var kind: ApprovalKind
    var requester: ApprovalRequester
    var resource: String
    var session: String?
    var statement: String?
    var reason: String?
    var rule: String
    var requirement: ApprovalRequirement
}
