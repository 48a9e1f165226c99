/// A judge's verdict on one statement, command or request (for a text of several, the strictest verdict of them).
/// Judges differ per protocol (`StatementJudge` for SQL, `CommandJudge` for shell command lines); what a verdict
/// leads to does not, and is `GuardrailGate`'s business.
enum GuardrailJudgement: Sendable, Equatable {
    case allow
    /// Refused outright; `reason` names the rule and what matched, for the client and the audit trail. What the
    /// broker cannot read with certainty on a guarded resource is blocked too, under a rule of the judge's own
    /// (`unreadable_sql`, `opaque_command`, ...).
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

    /// The stricter of two verdicts: a block beats an approval, and an approval needing more approvers beats one
    /// needing fewer.
    static func stricter(_ one: GuardrailJudgement, _ other: GuardrailJudgement) -> GuardrailJudgement {
        func rank(_ judgement: GuardrailJudgement) -> Int {
            switch judgement {
            case .allow: 0
            case .requireApproval(_, _, let requirement): 1 + requirement.minApprovals
            case .block: Int.max
            }
        }
        return rank(other) > rank(one) ? other : one
    }
}
