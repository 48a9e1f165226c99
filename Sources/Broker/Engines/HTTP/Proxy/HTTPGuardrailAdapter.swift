import HoopCore
import NIOHTTP1

/// What becomes of one request after the gate.
enum HTTPVerdict: Sendable {
    /// Forward it to the target.
    case forward
    /// Answer in the target's place; the target never sees the request.
    case refuse(HTTPRefusal)
    /// It waits for an approval: answer with what `decision` returns once it is decided.
    case wait(@Sendable () async -> HTTPVerdict)
    /// The broker could not record its decision: answer 503 and end the connection (fail closed).
    case close(String)
}

/// The gate's outcomes in HTTP's words: refusals are 403 with the broker's JSON account, a held request keeps the
/// client waiting for its response (HTTP has no interim status clients read for this) until it is decided, and a
/// decision that cannot be recorded is a 503 that ends the connection.
struct HTTPGuardrailAdapter: GuardrailAdapter {
    let summary: String

    func run() -> HTTPVerdict { .forward }

    func refuse(_ refusal: GuardrailRefusal) -> HTTPVerdict {
        .refuse(HTTPRefusal(status: .forbidden, kind: .blocked, message: refusal.message, approval: refusal.approval))
    }

    func pending(_ request: ApprovalRecord) -> HTTPVerdict {
        let message = ApprovalNeededText.message(
            subject: "request \(summary)", id: request.id,
            approveCommand: "hoopctl approvals approve \(request.id)")
        return .refuse(HTTPRefusal(status: .forbidden, kind: .pendingApproval, message: message, approval: request.id))
    }

    func hold(_ hold: GuardrailHold, until decision: @escaping @Sendable () async -> HTTPVerdict) -> HTTPVerdict {
        .wait(decision)
    }

    func unavailable(_ problem: String) -> HTTPVerdict { .close(problem) }
}
