import Crypto
import Foundation
import HoopCore
import Logging

/// Approval requests and their decisions: create, decide, wait, use, expire. Every change is audited before it is
/// reported, and every rule a careful reviewer expects is enforced here, once, for every engine: approvers must be
/// in an approver group, nobody approves their own request, one approver counts once, an approval binds to the
/// exact statement's SHA-256 and is used at most once, and undecided requests expire.
actor ApprovalService {
    private let config: BrokerConfig
    private let store: any Store
    private let audit: AuditLog
    private let notifier: ApprovalNotifier
    private let logger: Logger
    private var waiters = ApprovalWaiters()

    init(config: BrokerConfig, store: any Store, audit: AuditLog, notifier: ApprovalNotifier, logger: Logger) {
        self.config = config
        self.store = store
        self.audit = audit
        self.notifier = notifier
        self.logger = logger
    }

    /// The digest an approval binds to: SHA-256 of the statement's exact UTF-8 text.
    static func digest(_ statement: String) -> String {
        SHA256.hash(data: Array(statement.utf8)).hexString
    }

    // MARK: Requesting

    /// Opens a request, or returns the requester's still-pending one for the same thing, so a retried statement
    /// does not pile up duplicates for the approvers.
    func request(_ draft: ApprovalDraft, now: Date = Date()) async throws(BrokerError) -> ApprovalRecord {
        let digest = draft.statement.map(Self.digest)
        do {
            let pending = try await store.approvals(status: .pending, limit: 1_000)
            if let existing = pending.first(where: {
                draft.requester.made($0) && $0.resource == draft.resource && $0.kind == draft.kind
                    && $0.statementSHA256 == digest && $0.expiresAt > now
            }) {
                return existing
            }
        } catch {
            throw .storeUnavailable(error, logger: logger)
        }
        let draftRecord = ApprovalRecord(
            id: 0,
            kind: draft.kind,
            status: .pending,
            requesterIssuer: draft.requester.issuer,
            requesterSubject: draft.requester.subject,
            requesterName: draft.requester.name,
            resource: draft.resource,
            session: draft.session,
            statement: draft.statement,
            statementSHA256: digest,
            reason: draft.reason,
            rule: draft.rule,
            approverGroups: draft.requirement.approvers,
            minApprovals: draft.requirement.minApprovals,
            decisions: [],
            createdAt: now,
            expiresAt: now.addingTimeInterval(config.approvals.timeout),
            version: 1
        )
        let stored: ApprovalRecord
        do {
            stored = try await store.insertApproval(draftRecord)
        } catch {
            throw .storeUnavailable(error, logger: logger)
        }
        try await record(draft.requester.name, .requested, stored, .info, [:])
        notifier.notify(.requested, stored)
        return stored
    }

    // MARK: Deciding

    func decide(_ id: Int64, approve: Bool, reason: String?, by principal: Principal, now: Date = Date())
        async throws(BrokerError) -> ApprovalRecord
    {
        // Compare-and-set: if another approver changed the request meanwhile, judge again on the fresh copy.
        for _ in 0..<5 {
            var approval = try await load(id)
            try checkDecidable(approval, by: principal, now: now)
            approval.decisions.append(
                ApprovalDecisionRecord(
                    approverIssuer: principal.issuer,
                    approverSubject: principal.subject,
                    approverName: principal.displayName,
                    approve: approve,
                    reason: reason,
                    at: now
                )
            )
            if !approve {
                approval.status = .denied
            } else if approval.approvalCount >= approval.minApprovals {
                approval.status = .approved
            }
            let stored = try await update(approval)
            guard let stored else { continue }
            try await record(
                principal.displayName, approve ? .approved : .denied, stored,
                approve ? .allow : .deny,
                [
                    "reason": JSONValue(reason), "approvals": .int(Int64(stored.approvalCount)),
                    "status": .string(stored.status.rawValue),
                ]
            )
            if let closed = ApprovalEvent(closing: stored.status) {
                notifier.notify(closed, stored)
            }
            waiters.wakeAll(id: id)
            return stored
        }
        throw BrokerError(
            .unavailable, code: "approval_contended", message: "approval \(id) keeps changing; try again")
    }

    private func checkDecidable(_ approval: ApprovalRecord, by principal: Principal, now: Date)
        throws(BrokerError)
    {
        guard approval.status == .pending, approval.expiresAt > now else {
            let status = approval.status == .pending ? "expired" : approval.status.rawValue
            throw BrokerError(
                .badRequest, code: "approval_closed", message: "approval \(approval.id) is already \(status)")
        }
        guard !Set(principal.groups).isDisjoint(with: approval.approverGroups) else {
            throw BrokerError(
                .forbidden,
                code: "not_an_approver",
                message: "\(principal.displayName) is not in an approver group for approval \(approval.id)",
                hint: "approvers are members of: \(approval.approverGroups.joined(separator: ", "))"
            )
        }
        guard !approval.isRequested(by: principal) else {
            throw BrokerError(
                .forbidden,
                code: "self_approval",
                message: "\(principal.displayName) requested approval \(approval.id) and cannot decide it",
                hint: "ask another member of \(approval.approverGroups.joined(separator: ", "))"
            )
        }
        guard !approval.decisions.contains(where: { $0.isBy(principal) }) else {
            throw BrokerError(
                .badRequest,
                code: "already_decided",
                message: "\(principal.displayName) already decided approval \(approval.id)"
            )
        }
    }

    // MARK: Reading

    /// A request is visible to its requester, to members of its approver groups, and to admins.
    func approval(_ id: Int64, for principal: Principal) async throws(BrokerError) -> ApprovalRecord {
        let approval = try await load(id)
        guard canSee(approval, principal) else {
            throw BrokerError(.notFound, code: "unknown_approval", message: "there is no approval \(id) you can see")
        }
        return approval
    }

    func list(for principal: Principal, status: ApprovalStatus?) async throws(BrokerError) -> [ApprovalRecord] {
        do {
            return try await store.approvals(status: status, limit: 500).filter { canSee($0, principal) }
        } catch {
            throw .storeUnavailable(error, logger: logger)
        }
    }

    private func canSee(_ approval: ApprovalRecord, _ principal: Principal) -> Bool {
        approval.isRequested(by: principal) || !Set(principal.groups).isDisjoint(with: approval.approverGroups)
            || AccessPolicy.isAdmin(principal, config: config)
    }

    // MARK: Waiting, using, expiring

    /// Returns once the request is no longer pending, or when `timeout` passes (whichever is first). A request
    /// whose own expiry passed while waiting is expired on the spot.
    func waitForDecision(_ id: Int64, timeout: TimeInterval) async throws(BrokerError) -> ApprovalRecord {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            var approval = try await load(id)
            if approval.status == .pending && approval.expiresAt <= Date() {
                approval = try await expire(approval, now: Date())
            }
            guard approval.status == .pending, Date() < deadline, !Task.isCancelled else { return approval }
            let wakeAt = min(deadline, approval.expiresAt)
            let token = UUID()
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    waiters.add(continuation, id: id, token: token)
                    Task {
                        try? await Task.sleep(for: .seconds(max(0.01, wakeAt.timeIntervalSinceNow)))
                        await self.wake(id, token)
                    }
                }
            } onCancel: {
                Task { await self.wake(id, token) }
            }
        }
    }

    private func wake(_ id: Int64, _ token: UUID) {
        waiters.wake(id: id, token: token)
    }

    /// Spends an approved request on what it was approved for: the same requester, resource, kind and statement
    /// digest. Afterwards the request is `used` and covers nothing more.
    func use(
        _ id: Int64,
        by requester: ApprovalRequester,
        resource: String,
        kind: ApprovalKind,
        statement: String?,
        session: String?,
        now: Date = Date()
    ) async throws(BrokerError) -> ApprovalRecord {
        for _ in 0..<5 {
            var approval = try await load(id)
            guard requester.made(approval), approval.resource == resource, approval.kind == kind else {
                throw BrokerError(
                    .forbidden,
                    code: "approval_mismatch",
                    message:
                        "approval \(id) was not requested by \(requester.name) for this \(kind.rawValue) on \(resource)"
                )
            }
            guard approval.statementSHA256 == statement.map(Self.digest) else {
                throw BrokerError(
                    .forbidden,
                    code: "approval_mismatch",
                    message: "approval \(id) covers a different statement; this one needs its own approval"
                )
            }
            guard approval.status == .approved else {
                throw BrokerError(
                    .forbidden,
                    code: "approval_not_approved",
                    message: "approval \(id) is \(approval.status.rawValue), not approved"
                )
            }
            approval.status = .used
            let stored = try await update(approval)
            guard let stored else { continue }
            try await record(requester.name, .used, stored, .allow, ["session": JSONValue(session)])
            waiters.wakeAll(id: id)
            return stored
        }
        throw BrokerError(
            .unavailable, code: "approval_contended", message: "approval \(id) keeps changing; try again")
    }

    /// Expires every pending request past its deadline. Run periodically.
    func expireDue(now: Date = Date()) async {
        guard let pending = try? await store.approvals(status: .pending, limit: 1_000) else { return }
        for approval in pending where approval.expiresAt <= now {
            _ = try? await expire(approval, now: now)
        }
    }

    private func expire(_ approval: ApprovalRecord, now: Date) async throws(BrokerError) -> ApprovalRecord {
        var expired = approval
        expired.status = .expired
        let stored = try await update(expired)
        guard let stored else { return try await load(approval.id) }
        try await record("broker", .expired, stored, .deny, [:])
        notifier.notify(.expired, stored)
        waiters.wakeAll(id: approval.id)
        return stored
    }

    // MARK: Helpers

    /// Compare-and-set on the request's version; nil when someone changed it first.
    private func update(_ approval: ApprovalRecord) async throws(BrokerError) -> ApprovalRecord? {
        do {
            return try await store.updateApproval(approval)
        } catch {
            throw .storeUnavailable(error, logger: logger)
        }
    }

    private func load(_ id: Int64) async throws(BrokerError) -> ApprovalRecord {
        let found: ApprovalRecord?
        do {
            found = try await store.approval(id: id)
        } catch {
            throw .storeUnavailable(error, logger: logger)
        }
        guard let found else {
            throw BrokerError(.notFound, code: "unknown_approval", message: "there is no approval \(id)")
        }
        return found
    }

    private func record(
        _ actor: String,
        _ event: ApprovalEvent,
        _ approval: ApprovalRecord,
        _ decision: AuditDecision,
        _ extra: [String: JSONValue]
    ) async throws(BrokerError) {
        var details: [String: JSONValue] = [
            "approval": .int(approval.id), "kind": .string(approval.kind.rawValue), "rule": .string(approval.rule),
            "requester": .string(approval.requesterName),
            "approvers": .array(approval.approverGroups.map { .string($0) }),
            "min_approvals": .int(Int64(approval.minApprovals)),
        ]
        if let statement = approval.statement { details["statement"] = .string(statement) }
        if let digest = approval.statementSHA256 { details["statement_sha256"] = .string(digest) }
        if event == .requested {
            details["reason"] = JSONValue(approval.reason)
            details["expires_at"] = .string(Timestamp.format(approval.expiresAt))
        }
        details.merge(extra) { _, new in new }
        do {
            try await audit.record(
                AuditDraft(
                    actor: actor,
                    action: event.auditAction,
                    resource: approval.resource,
                    session: approval.session,
                    decision: decision,
                    details: .object(details)
                )
            )
        } catch {
            throw .auditUnavailable(error)
        }
    }
}
