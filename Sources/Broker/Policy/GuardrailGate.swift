import Foundation
import HoopCore
import NIOConcurrencyHelpers

/// The protocol-independent half of guardrails: carries out a judge's verdict on one statement, command or request.
/// It audits blocks, opens approval requests, waits for their decision and spends approved ones, and fails closed
/// when a decision cannot be recorded. What the client is told is not its business: a `GuardrailAdapter` puts each
/// outcome into the engine's own protocol, so an engine that gains guardrails writes a judge and an adapter and
/// nothing of this flow. One gate serves one client connection.
final class GuardrailGate: Sendable {
    /// Who asks, and where: what approval requests and audit events name.
    struct Origin: Sendable {
        var requester: ApprovalRequester
        var resource: String
        var session: String
        /// The session's stated reason, shown to approvers on each request.
        var reason: String?
        /// The tunnel connection, as audit events and recordings number it.
        var connection: Int64
    }

    /// Writes one audit event about this connection; an error means it was not written.
    typealias Auditor = @Sendable (AuditAction, AuditDecision, JSONValue) async throws(BrokerError) -> Void

    private let origin: Origin
    /// False: refuse at once, naming the open request, instead of holding (`hoopctl exec --no-wait`).
    private let wait: Bool
    /// The approved request the client brought (`hoopctl exec --approval ID`), spent on the first thing that needs
    /// approval and gone after it.
    private let preapproved: NIOLockedValueBox<Int64?>
    private let approvals: ApprovalService
    /// Spend the requester's approved request for the identical subject when there is one (MCP calls, whose
    /// clients cannot bring an approval id), instead of opening another.
    private let reuseApproved: Bool
    private let audit: Auditor
    /// The request a statement of this connection waits for, while it waits: what a departure withdraws.
    private let held = NIOLockedValueBox<Int64?>(nil)
    /// Set once the client connection has gone (closed, or ended its input): nothing it sent runs afterwards,
    /// whatever is decided. Read on the connection's event loop before an approved statement is forwarded.
    private let departure = NIOLockedValueBox<ApprovalWithdrawal?>(nil)

    init(
        origin: Origin, mode: ApprovalMode, approvals: ApprovalService, reuseApproved: Bool = false,
        audit: @escaping Auditor
    ) {
        self.origin = origin
        self.wait = mode.wait
        self.preapproved = NIOLockedValueBox(mode.preapproved)
        self.approvals = approvals
        self.reuseApproved = reuseApproved
        self.audit = audit
    }

    /// The gate of one admitted tunnel connection: its session's requester, its approval mode, and its audit trail.
    convenience init(
        tunnel: AdmittedTunnel, connection: Int64, sessions: SessionManager, mode: ApprovalMode? = nil,
        reuseApproved: Bool = false
    ) {
        self.init(
            origin: Origin(
                requester: ApprovalRequester(tunnel.session), resource: tunnel.resource.name,
                session: tunnel.session.id, reason: tunnel.session.reason, connection: connection),
            mode: mode ?? tunnel.approvalMode,
            approvals: tunnel.approvals,
            reuseApproved: reuseApproved
        ) { (action, decision, details) async throws(BrokerError) in
            try await sessions.recordConnection(action, tunnel, decision, details)
        }
    }

    /// Carries out `judgement` on `subject` — the exact text an approval binds to — and answers in `adapter`'s
    /// words: exactly one of its methods is called (for a hold, one more once the request is decided).
    func answer<Adapter: GuardrailAdapter>(_ judgement: GuardrailJudgement, on subject: String, with adapter: Adapter)
        async -> Adapter.Answer
    {
        switch judgement {
        case .allow:
            return adapter.run()
        case .block(let rule, let reason):
            return await block(subject, rule: rule, reason: reason, adapter)
        case .requireApproval(let rule, let reason, let requirement):
            return await requestApproval(subject, rule: rule, reason: reason, requirement: requirement, adapter)
        }
    }

    // MARK: The client giving up

    /// Why the client connection is gone, once it is; an approved statement must not be forwarded then.
    var departed: ApprovalWithdrawal? { departure.withLockedValue { $0 } }

    /// The client connection closed or ended its input. Called on its event loop, before anything decided later
    /// is carried out there: from here on every decision is a refusal, and the request it waits for is withdrawn.
    func clientLeft() {
        let first = departure.withLockedValue { why in
            defer { why = why ?? .clientLeft }
            return why == nil
        }
        if first { withdrawHeld(.clientLeft) }
    }

    /// The client cancelled what it sent (a PostgreSQL CancelRequest): the request a statement waits for is
    /// withdrawn, so that statement is refused and the connection goes on. Answers whether a statement was held,
    /// in which case the cancel is the broker's alone: passed on, it could reach the target while the refusal's
    /// probe runs there and replace the refusal with the target's own "canceling statement".
    @discardableResult
    func clientCancelled() -> Bool {
        withdrawHeld(.clientCancelled)
    }

    @discardableResult
    private func withdrawHeld(_ why: ApprovalWithdrawal) -> Bool {
        guard let id = held.withLockedValue({ $0 }) else { return false }
        let approvals = self.approvals
        let requester = origin.requester
        Task { _ = try? await approvals.withdraw(id, why: why, by: requester) }
        return true
    }

    // MARK: Blocking

    /// A block that cannot be audited still refuses, and ends the connection.
    private func block<Adapter: GuardrailAdapter>(
        _ subject: String, rule: String, reason: String, _ adapter: Adapter
    ) async -> Adapter.Answer {
        do {
            try await audit(
                .statementBlock, .deny,
                [
                    "statement": .string(subject), "rule": .string(rule), "reason": .string(reason),
                    "connection": .int(origin.connection),
                ])
        } catch {
            return adapter.unavailable(error.message)
        }
        return adapter.refuse(
            GuardrailRefusal(message: GuardrailBlockText.message(rule: rule, reason: reason), approval: nil))
    }

    // MARK: Approvals

    /// Spends the client's preapproved request if it brought one, else opens (or finds) a request and holds, or
    /// refuses at once when the client does not wait.
    private func requestApproval<Adapter: GuardrailAdapter>(
        _ subject: String, rule: String, reason: String, requirement: ApprovalRequirement, _ adapter: Adapter
    ) async -> Adapter.Answer {
        let brought = preapproved.withLockedValue { id in
            defer { id = nil }
            return id
        }
        if let brought {
            return await spend(brought, on: subject, adapter)
        }
        if reuseApproved {
            do {
                if let approved = try await approvals.approvedRequest(
                    by: origin.requester, resource: origin.resource, kind: .statement, statement: subject)
                {
                    return await spend(approved.id, on: subject, adapter)
                }
            } catch {
                return adapter.unavailable(error.message)
            }
        }
        let request: ApprovalRecord
        do {
            request = try await approvals.request(
                ApprovalDraft(
                    kind: .statement, requester: origin.requester, resource: origin.resource,
                    session: origin.session, statement: subject, reason: origin.reason, rule: rule,
                    requirement: requirement
                )
            )
        } catch {
            return adapter.unavailable(error.message)
        }
        guard wait else {
            return adapter.pending(request)
        }
        held.withLockedValue { $0 = request.id }
        if let why = departed {
            // The client left while the request was being opened: nothing waits for it.
            _ = try? await approvals.withdraw(request.id, why: why, by: origin.requester)
        }
        return adapter.hold(GuardrailHold(request: request, rule: rule, reason: reason)) {
            let answer = await self.decision(on: request, for: subject, adapter)
            self.held.withLockedValue { $0 = nil }
            return answer
        }
    }

    /// Waits until the request is decided or expires, then spends it (approved) or refuses (denied, expired).
    private func decision<Adapter: GuardrailAdapter>(
        on request: ApprovalRecord, for subject: String, _ adapter: Adapter
    ) async -> Adapter.Answer {
        let decided: ApprovalRecord
        do {
            decided = try await approvals.waitForDecision(
                request.id, timeout: max(1, request.expiresAt.timeIntervalSinceNow + 1))
        } catch {
            return adapter.unavailable(error.message)
        }
        if let why = departed {
            return adapter.refuse(
                GuardrailRefusal(
                    message: "approval \(decided.id) was withdrawn: \(why.explanation)", approval: decided.id))
        }
        switch decided.status {
        case .approved:
            return await spend(decided.id, on: subject, adapter)
        case .withdrawn:
            return adapter.refuse(
                GuardrailRefusal(
                    message: "approval \(decided.id) was withdrawn; the statement did not run",
                    approval: decided.id))
        case .denied:
            let denial = decided.decisions.last { !$0.approve }
            let why = denial?.reason.map { ": \($0)" } ?? ""
            return adapter.refuse(
                GuardrailRefusal(
                    message: "approval \(decided.id) was denied by \(denial?.approverName ?? "an approver")\(why)",
                    approval: decided.id))
        case .pending, .expired, .used:
            return adapter.refuse(
                GuardrailRefusal(
                    message: "approval \(decided.id) \(decided.status == .used ? "was already used" : "expired")",
                    approval: decided.id))
        }
    }

    /// Spends an approved request on `subject`; one that does not fit it (another statement, requester, resource,
    /// or not approved) refuses.
    private func spend<Adapter: GuardrailAdapter>(_ id: Int64, on subject: String, _ adapter: Adapter) async
        -> Adapter.Answer
    {
        do {
            _ = try await approvals.use(
                id, by: origin.requester, resource: origin.resource, kind: .statement, statement: subject,
                session: origin.session)
        } catch {
            return adapter.refuse(GuardrailRefusal(message: error.message, approval: id))
        }
        return adapter.run()
    }
}
