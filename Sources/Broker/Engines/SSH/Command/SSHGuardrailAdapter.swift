import HoopCore

/// SSH's words for the guardrail gate's outcomes. A refused command never reaches the target: the client sees the
/// message on stderr and exit status 126, as a shell reports a command it cannot run. A held one prints a notice
/// naming the request and runs once approved; one the broker cannot audit ends the connection. The engine prefixes every message with "hoop: " and ends the line.
struct SSHGuardrailAdapter: GuardrailAdapter {
    func run() -> SSHCommandDecision {
        .allow
    }

    func refuse(_ refusal: GuardrailRefusal) -> SSHCommandDecision {
        .refuse(refusal.message)
    }

    func pending(_ request: ApprovalRecord) -> SSHCommandDecision {
        .refuse(
            ApprovalNeededText.message(subject: "command", id: request.id, approveCommand: request.info.approveCommand))
    }

    func hold(_ hold: GuardrailHold, until decision: @escaping @Sendable () async -> SSHCommandDecision)
        -> SSHCommandDecision
    {
        let request = hold.request
        return .hold(
            notice: "command held for approval \(request.id) by guardrail '\(hold.rule)' (\(hold.reason)): needs "
                + "\(hold.requirement); an approver runs `\(request.info.approveCommand)`",
            decision: decision)
    }

    /// The connection ends: a broker that cannot audit must not go on taking commands.
    func unavailable(_ problem: String) -> SSHCommandDecision {
        .end("the broker cannot record its decision, so it ends this connection: \(problem)")
    }
}
