import HoopCore
import PostgresWire

/// PostgreSQL's words for the guardrail gate's outcomes. A refused statement is answered with SQLSTATE 42501 naming
/// the rule (the statement stage sends the target a probe in its place, so it never runs); a held one gets a NOTICE
/// with SQLSTATE HP001 and the request id in its detail, then runs once approved; one the client will not wait for
/// is refused with HP002 and what to do next. The answers are plain values: the statement stage carries them out
/// on the connection's event loop, where the recorder and the refusals live.
struct PostgresGuardrailAdapter: StatementGuardWords {
    typealias Reply = PostgresBackendMessage
    typealias Answer = StatementGuardAnswer<PostgresBackendMessage>

    func run() -> Answer {
        .run
    }

    func refuse(_ refusal: GuardrailRefusal) -> Answer {
        .refuse(
            reply: PostgresRefusals.error(
                sqlState: .refusedByBroker, message: refusal.message, approval: refusal.approval, hint: nil),
            text: refusal.message, approval: refusal.approval)
    }

    func pending(_ request: ApprovalRecord) -> Answer {
        let text =
            "statement needs approval \(request.id) (\(request.minApprovals) from "
            + "\(request.approverGroups.joined(separator: ", "))); not waiting"
        return .refuse(
            reply: PostgresRefusals.error(
                sqlState: .approvalPending, message: text, approval: request.id,
                hint: "an approver runs `\(request.info.approveCommand)`; then run it again with --approval "
                    + "\(request.id)"),
            text: text, approval: request.id)
    }

    func hold(_ hold: GuardrailHold, until decision: @escaping @Sendable () async -> Answer) -> Answer {
        let request = hold.request
        let notice = PostgresRefusals.notice(
            sqlState: .approvalWaiting,
            message: "statement held for approval \(request.id) by guardrail '\(hold.rule)' (\(hold.reason)): "
                + "needs \(hold.requirement)",
            approval: request.id,
            hint: "an approver runs `\(request.info.approveCommand)`; this statement runs as soon as it is approved"
        )
        return .hold(notice: notice, decision: decision)
    }

    func unavailable(_ problem: String) -> Answer {
        .fail(
            GuardrailUnavailable(message: "the broker cannot record its decision, so it ends the session: \(problem)"))
    }
}
