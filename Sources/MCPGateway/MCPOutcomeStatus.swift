/// The `status` field of every tool result, so an agent can branch on one word.
enum MCPOutcomeStatus: String, Codable, Sendable {
    /// It ran; the result is in the other fields.
    case ok
    /// A statement or command reached the target and failed there.
    case failed
    /// A guardrail blocked it; `rule` and `reason` say which and why.
    case blocked
    /// It waits for an approval; call again with `approval_id` once approved.
    case pendingApproval = "pending_approval"
    /// An approval it needed was denied, expired or withdrawn, or access was refused.
    case denied
    /// Access needs no approval on this resource.
    case notNeeded = "not_needed"
    /// An approval it needed was granted.
    case approved
}
