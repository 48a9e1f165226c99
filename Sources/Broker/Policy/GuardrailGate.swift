import Foundation
import HoopCore

/// The engine-independent half of guardrails: turns a judgement into an outcome — audited refusals, approval
/// requests, waiting, and spending approvals — so every protocol engine only translates outcomes into its own
/// messages. One gate serves one client connection.
final class StatementGate: @unchecked Sendable {
    // `judge` and `preapproved` are touched only from the connection's event loop (via `judge(_:)`) or inside
    // the single outstanding hold, which the relay serializes.
    private var judge: StatementJudge
    private var preapproved: Int64?
    private let wait: Bool
    private let approvals: ApprovalService
    private let sessions: SessionManager
    private let tunnel: AdmittedTunnel
    private let connection: Int64

    init(
        judge: StatementJudge,
        mode: ApprovalMode,
        approvals: ApprovalService,
        sessions: SessionManager,
        tunnel: AdmittedTunnel,
        connection: Int64
    ) {
        self.judge = judge
        self.preapproved = mode.preapproved
        self.wait = mode.wait
        self.approvals = approvals
        self.sessions = sessions
        self.tunnel = tunnel
        self.connection = connection
    }

    var isGuarded: Bool { judge.isGuarded }

    func judge(_ statement: String) -> StatementJudgement {
        judge.judge(statement)
    }

    /// Audits a blocked statement. A refusal that cannot be audited still refuses: the error is returned as the
    /// outcome's message and the relay's fail-closed path ends the connection.
    func block(_ statement: String, rule: String, reason: String) async -> GateOutcome {
        do {
            try await audit(
                "statement.block", .deny,
                ["statement": .string(statement), "rule": .string(rule), "reason": .string(reason)])
        } catch {
            return .unavailable(error.message)
        }
        return .refused(GateRefusal(message: "blocked by guardrail '\(rule)': \(reason)", approval: nil))
    }

    /// For a statement that needs approval: uses the client's preapproved request if it brought one, else opens (or
    /// finds) a request. Returns `.run`, a refusal, or `.held(request)` for the engine to announce and then pass
    /// to `awaitDecision`.
    func requestApproval(_ statement: String, rule: String, reason: String, requirement: ApprovalRequirement) async
        -> GateOutcome
    {
        let requester = ApprovalRequester(tunnel.session)
        if let id = preapproved {
            preapproved = nil
            return await spend(id, statement: statement)
        }
        let request: ApprovalRecord
        do {
            request = try await approvals.request(
                ApprovalDraft(
                    kind: .statement, requester: requester, resource: tunnel.resource.name,
                    session: tunnel.session.id, statement: statement, reason: tunnel.session.reason, rule: rule,
                    requirement: requirement
                )
            )
        } catch {
            return .unavailable(error.message)
        }
        guard wait else {
            return .pending(request)
        }
        return .held(request)
    }

    /// Waits until the request is decided or expires, then spends it (approved) or refuses (denied, expired).
    func awaitDecision(_ request: ApprovalRecord, statement: String) async -> GateOutcome {
        let decided: ApprovalRecord
        do {
            decided = try await approvals.waitForDecision(
                request.id, timeout: max(1, request.expiresAt.timeIntervalSinceNow + 1))
        } catch {
            return .unavailable(error.message)
        }
        switch decided.status {
        case .approved:
            return await spend(decided.id, statement: statement)
        case .denied:
            let denial = decided.decisions.last { !$0.approve }
            let why = denial?.reason.map { ": \($0)" } ?? ""
            return .refused(
                GateRefusal(
                    message: "approval \(decided.id) was denied by \(denial?.approverName ?? "an approver")\(why)",
                    approval: decided.id))
        case .pending, .expired, .used:
            return .refused(
                GateRefusal(
                    message: "approval \(decided.id) \(decided.status == .used ? "was already used" : "expired")",
                    approval: decided.id))
        }
    }

    private func spend(_ id: Int64, statement: String) async -> GateOutcome {
        do {
            _ = try await approvals.use(
                id, by: ApprovalRequester(tunnel.session), resource: tunnel.resource.name, kind: .statement,
                statement: statement, session: tunnel.session.id)
            return .run
        } catch {
            return .refused(GateRefusal(message: error.message, approval: id))
        }
    }

    private func audit(_ action: String, _ decision: AuditDecision, _ details: [String: JSONValue])
        async throws(BrokerError)
    {
        var details = details
        details["connection"] = .int(connection)
        try await sessions.recordConnection(action, tunnel, decision, .object(details))
    }
}

/// What the engine does with a statement after the gate.
enum GateOutcome: Sendable {
    /// Forward it.
    case run
    /// Refuse it with this message (blocked, denied, expired, or an approval that does not fit).
    case refused(GateRefusal)
    /// Held: tell the client the request id, then call `awaitDecision`.
    case held(ApprovalRecord)
    /// Needs approval and the client asked not to wait: refuse, naming the open request.
    case pending(ApprovalRecord)
    /// The broker could not audit or store the decision: refuse and end the connection (fail closed).
    case unavailable(String)
}

/// A refusal's words and the approval request it concerns.
struct GateRefusal: Sendable, Equatable {
    var message: String
    var approval: Int64?
}
