import HoopCore
import MySQLWire

/// MySQL's words for the guardrail gate's outcomes: a refused statement is answered with an ERR packet (error 1227,
/// SQLSTATE 42501, naming the rule) and never reaches the target; one the client will not wait for is refused with
/// SQLSTATE HP002 and the request named in the message. MySQL has no asynchronous notices, so a held statement
/// simply waits — `hoopctl connect` and `hoopctl approvals` show the request — and runs once approved.
struct MySQLGuardrailAdapter: StatementGuardWords {
    typealias Reply = MySQLErrPacket
    typealias Answer = StatementGuardAnswer<MySQLErrPacket>

    func run() -> Answer {
        .run
    }

    func refuse(_ refusal: GuardrailRefusal) -> Answer {
        let text = refusal.approval.map { "\(refusal.message) (approval \($0))" } ?? refusal.message
        return .refuse(reply: MySQLBrokerError.refused.packet(text), text: refusal.message, approval: refusal.approval)
    }

    func pending(_ request: ApprovalRecord) -> Answer {
        let text =
            "statement needs approval \(request.id) (\(request.minApprovals) from "
            + "\(request.approverGroups.joined(separator: ", "))); not waiting"
        let hint =
            "; an approver runs `\(request.info.approveCommand)`, then run it again with --approval \(request.id)"
        return .refuse(
            reply: MySQLBrokerError.approvalPending.packet(text + hint), text: text, approval: request.id)
    }

    func hold(_ hold: GuardrailHold, until decision: @escaping @Sendable () async -> Answer) -> Answer {
        .hold(notice: nil, decision: decision)
    }

    func unavailable(_ problem: String) -> Answer {
        .fail(
            GuardrailUnavailable(message: "the broker cannot record its decision, so it ends the session: \(problem)"))
    }
}
