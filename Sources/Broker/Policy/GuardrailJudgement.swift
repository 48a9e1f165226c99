/// The judge's verdict on one SQL text (all its statements together: the strictest verdict wins).
enum StatementJudgement: Sendable, Equatable {
    case allow
    /// Refused outright; `reason` names the rule and what matched, for the client and the audit trail.
    case block(rule: String, reason: String)
    /// Runs only once approved under `requirement`.
    case requireApproval(rule: String, reason: String, requirement: ApprovalRequirement)

    /// The rule's name and what matched, when the judgement is not `allow`.
    var explanation: (rule: String, reason: String)? {
        switch self {
        case .allow: nil
        case .block(let rule, let reason), .requireApproval(let rule, let reason, _): (rule, reason)
        }
    }

    /// The policy decision's name as recordings and audit events spell it.
    var label: String {
        switch self {
        case .allow: "allow"
        case .block: "block"
        case .requireApproval: "require_approval"
        }
    }
}
