import Foundation
import HoopCore
import Logging
import Synchronization
import Testing

@testable import Broker

/// What the gate asked the fake adapter to say, so each test reads the flow without any protocol in the way.
private enum Said: Sendable {
    case ran
    case refused(GuardrailRefusal)
    case pending(ApprovalRecord)
    case held(GuardrailHold, then: @Sendable () async -> Said)
    case unavailable(String)

    var refusal: GuardrailRefusal? {
        if case .refused(let refusal) = self { refusal } else { nil }
    }
}

/// An adapter with no words of its own: it repeats the outcome.
private struct EchoAdapter: GuardrailAdapter {
    func run() -> Said { .ran }
    func refuse(_ refusal: GuardrailRefusal) -> Said { .refused(refusal) }
    func pending(_ request: ApprovalRecord) -> Said { .pending(request) }
    func hold(_ hold: GuardrailHold, until decision: @escaping @Sendable () async -> Said) -> Said {
        .held(hold, then: decision)
    }
    func unavailable(_ problem: String) -> Said { .unavailable(problem) }
}

/// One audit event the gate wrote through its auditor.
private struct Audited: Sendable {
    var action: AuditAction
    var decision: AuditDecision
    var details: JSONValue
}

/// A real approval service on a scratch SQLite store, and the gate's own audit writes kept aside (or refused).
private final class GateBench: Sendable {
    static let requester = Principal(issuer: "test", subject: "agent-7", email: "agent@example.com", groups: [])
    static let approver = Principal(issuer: "test", subject: "dba-1", email: "dba@example.com", groups: ["dba"])
    static let requirement = ApprovalRequirement(approvers: ["dba"], minApprovals: 1)
    static let ddl = GuardrailJudgement.requireApproval(
        rule: "ddl", reason: "statement class drop", requirement: requirement)

    let directory: URL
    let store: SQLiteStore
    let approvals: ApprovalService
    let audited = Mutex<[Audited]>([])

    init() throws {
        directory = try TestEnvironment.scratchDirectory("gate")
        let config = try ConfigLoader.parse(
            yaml: """
                identity:
                  - issuer: https://idp.example.com
                    audience: hoop
                resources:
                  - name: pg
                    type: postgres
                    address: 127.0.0.1:5432
                    database: app
                    username: app
                    password_env: PG
                """,
            relativeTo: directory,
            checkSecrets: false
        )
        store = try SQLiteStore(path: directory.appendingPathComponent("broker.db"))
        let logger = Logger(label: "test")
        approvals = ApprovalService(
            config: config, store: store, audit: AuditLog(store: store, logger: logger),
            notifier: ApprovalNotifier(config: config.approvals, logger: logger), logger: logger)
    }

    /// A gate for one connection of the requester's session on `pg`; `auditFails` makes every audit write fail.
    func gate(_ mode: ApprovalMode = .interactive, auditFails: Bool = false) -> GuardrailGate {
        let origin = GuardrailGate.Origin(
            requester: ApprovalRequester(Self.requester), resource: "pg", session: "ses_gate", reason: "cleanup",
            connection: 3)
        return GuardrailGate(origin: origin, mode: mode, approvals: approvals) {
            [self] (action, decision, details) async throws(BrokerError) in
            guard !auditFails else {
                throw BrokerError(.unavailable, code: "audit_unavailable", message: "the audit store is full")
            }
            self.audited.withLock { $0.append(Audited(action: action, decision: decision, details: details)) }
        }
    }

    /// The approval service's own audit actions, in order.
    func approvalActions() async throws -> [String] {
        try await store.auditEvents(from: 0, limit: 100).map(\.action)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// The protocol-independent guardrail flow: every judgement reaches the adapter as exactly one outcome, blocks and
/// approvals are audited with the formats the chain already holds, and what cannot be audited fails closed.
@Suite("Guardrail gate")
struct GuardrailGateTests {
    @Test("an allowed statement runs and writes nothing")
    func allow() async throws {
        let bench = try GateBench()
        defer { bench.cleanUp() }
        guard case .ran = await bench.gate().answer(.allow, on: "SELECT 1", with: EchoAdapter()) else {
            Issue.record("an allowed statement must run")
            return
        }
        #expect(bench.audited.withLock { $0.isEmpty })
        #expect(try await bench.approvalActions().isEmpty)
    }

    @Test("a blocked statement is refused, naming the rule, and audited as statement.block")
    func block() async throws {
        let bench = try GateBench()
        defer { bench.cleanUp() }
        let said = await bench.gate().answer(
            .block(rule: "no-delete", reason: "statement class delete_without_where"), on: "DELETE FROM users",
            with: EchoAdapter())
        #expect(
            said.refusal
                == GuardrailRefusal(
                    message: "blocked by guardrail 'no-delete': statement class delete_without_where", approval: nil))
        let events = bench.audited.withLock { $0 }
        #expect(events.map(\.action) == [.statementBlock])
        #expect(events.first?.action.rawValue == "statement.block")
        #expect(events.first?.decision == .deny)
        #expect(
            events.first?.details
                == [
                    "statement": "DELETE FROM users", "rule": "no-delete",
                    "reason": "statement class delete_without_where", "connection": 3,
                ])
    }

    @Test("what the judge cannot read is refused and audited under the judge's own rule")
    func unreadable() async throws {
        let bench = try GateBench()
        defer { bench.cleanUp() }
        var judge = StatementJudge(
            rules: [GuardrailRule(name: "ddl", match: GuardrailMatch(classes: ["drop"]), action: .block)],
            dialect: .postgres)
        let sql = "SELECT 'never closed"
        let judgement = judge.judge(sql)
        let said = await bench.gate().answer(judgement, on: sql, with: EchoAdapter())
        let refusal = try #require(said.refusal)
        #expect(refusal.message.hasPrefix("blocked by guardrail 'unreadable_sql': the broker cannot read this SQL"))
        #expect(refusal.approval == nil)
        let events = bench.audited.withLock { $0 }
        #expect(events.map(\.action) == [.statementBlock])
        #expect(events.first?.details["rule"] == "unreadable_sql")
    }

    @Test("an interactive client is held until an approver decides, then the statement runs")
    func holdThenRun() async throws {
        let bench = try GateBench()
        defer { bench.cleanUp() }
        let said = await bench.gate().answer(GateBench.ddl, on: "DROP TABLE old", with: EchoAdapter())
        guard case .held(let hold, let then) = said else {
            Issue.record("a statement needing approval must be held, not \(said)")
            return
        }
        #expect(hold.rule == "ddl")
        #expect(hold.reason == "statement class drop")
        #expect(hold.requirement == "1 approval(s) from dba")
        #expect(hold.request.status == .pending)
        #expect(hold.request.statement == "DROP TABLE old")
        #expect(hold.request.session == "ses_gate")
        #expect(hold.request.reason == "cleanup")
        async let decided = then()
        _ = try await bench.approvals.decide(hold.request.id, approve: true, reason: nil, by: GateBench.approver)
        guard case .ran = await decided else {
            Issue.record("an approved statement must run")
            return
        }
        #expect(try await bench.approvalActions() == ["approval.request", "approval.approve", "approval.use"])
        #expect(
            try await bench.approvalActions()
                == [AuditAction.approvalRequest, .approvalApprove, .approvalUse].map(\.rawValue))
    }

    @Test("a held statement whose approval is denied is refused, naming the request and the approver")
    func holdThenDeny() async throws {
        let bench = try GateBench()
        defer { bench.cleanUp() }
        guard
            case .held(let hold, let then) = await bench.gate().answer(
                GateBench.ddl, on: "DROP TABLE old", with: EchoAdapter())
        else {
            Issue.record("a statement needing approval must be held")
            return
        }
        async let decided = then()
        _ = try await bench.approvals.decide(
            hold.request.id, approve: false, reason: "not today", by: GateBench.approver)
        #expect(
            await decided.refusal
                == GuardrailRefusal(
                    message: "approval \(hold.request.id) was denied by dba@example.com: not today",
                    approval: hold.request.id))
        #expect(try await bench.approvalActions() == ["approval.request", "approval.deny"])
    }

    @Test("a client that does not wait is refused at once, and the request stays open")
    func noWait() async throws {
        let bench = try GateBench()
        defer { bench.cleanUp() }
        let said = await bench.gate(ApprovalMode(wait: false, preapproved: nil)).answer(
            GateBench.ddl, on: "DROP TABLE old", with: EchoAdapter())
        guard case .pending(let request) = said else {
            Issue.record("a client that does not wait must get the pending request, not \(said)")
            return
        }
        let stored = try await bench.approvals.approval(request.id, for: GateBench.approver)
        #expect(stored.status == .pending)
        #expect(try await bench.approvalActions() == ["approval.request"])
    }

    @Test("an approved id is spent once, on the statement it was approved for")
    func preapproved() async throws {
        let bench = try GateBench()
        defer { bench.cleanUp() }
        guard
            case .pending(let request) = await bench.gate(ApprovalMode(wait: false, preapproved: nil)).answer(
                GateBench.ddl, on: "DROP TABLE old", with: EchoAdapter())
        else {
            Issue.record("the first attempt must leave a pending request")
            return
        }
        _ = try await bench.approvals.decide(request.id, approve: true, reason: nil, by: GateBench.approver)

        let gate = bench.gate(ApprovalMode(wait: false, preapproved: request.id))
        guard case .ran = await gate.answer(GateBench.ddl, on: "DROP TABLE old", with: EchoAdapter()) else {
            Issue.record("the approved statement must run")
            return
        }
        // Spent: the same statement again on the same connection needs a new request.
        guard case .pending(let again) = await gate.answer(GateBench.ddl, on: "DROP TABLE old", with: EchoAdapter())
        else {
            Issue.record("a spent approval must not cover a second run")
            return
        }
        #expect(again.id != request.id)
        #expect(
            try await bench.approvalActions()
                == ["approval.request", "approval.approve", "approval.use", "approval.request"])

        // An approval brought for another statement does not fit.
        let other = bench.gate(ApprovalMode(wait: false, preapproved: again.id))
        let refusal = try #require(
            await other.answer(GateBench.ddl, on: "DROP TABLE other", with: EchoAdapter()).refusal)
        #expect(refusal.approval == again.id)
        #expect(refusal.message.contains("covers a different statement"))
    }

    @Test("an approval left unused past approvals.use_within expires, at use and in the sweep")
    func approvalExpiresUnused() async throws {
        let bench = try GateBench()
        defer { bench.cleanUp() }
        let useWithin = await bench.approvals.config.approvals.useWithin
        #expect(useWithin == 900, "the default is 15 minutes")
        var approved: [Int64] = []
        for statement in ["DROP TABLE old", "DROP TABLE older"] {
            guard
                case .pending(let request) = await bench.gate(ApprovalMode(wait: false, preapproved: nil)).answer(
                    GateBench.ddl, on: statement, with: EchoAdapter())
            else {
                Issue.record("each statement must leave a pending request")
                return
            }
            _ = try await bench.approvals.decide(request.id, approve: true, reason: nil, by: GateBench.approver)
            approved.append(request.id)
        }
        let later = Date().addingTimeInterval(useWithin + 1)
        // Spent late, it is refused and expired on the spot.
        await #expect(throws: BrokerError.self) {
            _ = try await bench.approvals.use(
                approved[0], by: ApprovalRequester(GateBench.requester), resource: "pg", kind: .statement,
                statement: "DROP TABLE old", session: nil, now: later)
        }
        #expect(try await bench.approvals.approval(approved[0], for: GateBench.approver).status == .expired)
        // Not spent at all, the sweep expires it; one still within its time stays approved.
        await bench.approvals.expireDue(now: Date())
        #expect(try await bench.approvals.approval(approved[1], for: GateBench.approver).status == .approved)
        await bench.approvals.expireDue(now: later)
        #expect(try await bench.approvals.approval(approved[1], for: GateBench.approver).status == .expired)
        #expect(try await bench.approvalActions().filter { $0 == "approval.expire" }.count == 2)
    }

    @Test("a block that cannot be audited is not refused quietly: the connection fails closed")
    func auditFailure() async throws {
        let bench = try GateBench()
        defer { bench.cleanUp() }
        let said = await bench.gate(auditFails: true).answer(
            .block(rule: "no-delete", reason: "statement class delete_without_where"), on: "DELETE FROM users",
            with: EchoAdapter())
        guard case .unavailable(let problem) = said else {
            Issue.record("an unaudited block must end the connection, not \(said)")
            return
        }
        #expect(problem == "the audit store is full")
        #expect(bench.audited.withLock { $0.isEmpty })
    }
}
