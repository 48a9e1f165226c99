import HoopCore

/// An engine's words for what `GuardrailGate` decided about one statement, command or request. The gate calls
/// exactly one of these (after a hold, one more once the request is decided), from its own task rather than the
/// connection's event loop: an engine whose answers must be made on its loop answers with a future.
///
/// PostgreSQL answers with SQLSTATEs in errors and notices (`PostgresGuardrailAdapter`), SSH with exit status 126
/// and a line on stderr (`SSHGuardrailAdapter`).
protocol GuardrailAdapter: Sendable {
    associatedtype Answer: Sendable

    /// Let it through to the target.
    func run() -> Answer
    /// Refuse it — blocked, denied, expired, or an approval that does not fit; the target never sees it.
    func refuse(_ refusal: GuardrailRefusal) -> Answer
    /// It needs approval and the client asked not to wait: refuse it, naming the request, which stays open.
    func pending(_ request: ApprovalRecord) -> Answer
    /// It waits for `hold.request`: tell the client now, then answer with what `decision` returns.
    func hold(_ hold: GuardrailHold, until decision: @escaping @Sendable () async -> Answer) -> Answer
    /// The broker could not record its decision: refuse and end the connection (fail closed), saying `problem`.
    func unavailable(_ problem: String) -> Answer
}

/// A refusal's words and the approval request it concerns, if any.
struct GuardrailRefusal: Sendable, Equatable {
    var message: String
    var approval: Int64?
}

/// Something held for approval: the request and the rule that asked for it.
struct GuardrailHold: Sendable {
    var request: ApprovalRecord
    var rule: String
    /// What the rule matched.
    var reason: String

    /// Who must approve, as notices say it: `1 approval(s) from dba, sre`.
    var requirement: String {
        "\(request.minApprovals) approval(s) from \(request.approverGroups.joined(separator: ", "))"
    }
}

/// The broker could not audit or store a policy decision; the connection ends (fail closed).
struct GuardrailUnavailable: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
