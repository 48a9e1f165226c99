import Crypto
import Foundation
import HoopCore
import Logging

/// Approval requests and their decisions: create, decide, wait, use, expire. Every change is audited before it is
/// reported, and every rule a careful reviewer expects is enforced here, once, for every engine: approvers must be
/// in an approver group, nobody approves their own request, one approver counts once, an approval binds to the
/// exact statement's SHA-256 and is used at most once, and undecided requests expire. The rules themselves are
/// `ApprovalRules`; waiting, use and expiry are in `+Using`; the audit events are written by `ApprovalAuditor`.
actor ApprovalService {
    let config: BrokerConfig
    let store: any Store
    let auditor: ApprovalAuditor
    let notifier: ApprovalNotifier
    let logger: Logger
    var waiters = ApprovalWaiters()

    init(config: BrokerConfig, store: any Store, audit: AuditLog, notifier: ApprovalNotifier, logger: Logger) {
        self.config = config
        self.store = store
        self.auditor = ApprovalAuditor(audit: audit)
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
        try await auditor.record(draft.requester.name, .requested, stored, .info, [:])
        notifier.notify(.requested, stored)
        return stored
    }

    // MARK: Deciding

    func decide(
        _ id: Int64, approve: Bool, reason: String?, by principal: Principal, via interface: ApprovalInterface = .api,
        now: Date = Date()
    ) async throws(BrokerError) -> ApprovalRecord {
        try ApprovalRules.checkReason(approve: approve, reason: reason)
        // Compare-and-set: if another approver changed the request meanwhile, judge again on the fresh copy.
        for _ in 0..<5 {
            var approval = try await load(id)
            try ApprovalRules.checkDecidable(approval, by: principal, now: now)
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
            try await auditor.record(
                principal.displayName, approve ? .approved : .denied, stored,
                approve ? .allow : .deny,
                [
                    "reason": JSONValue(reason), "approvals": .int(Int64(stored.approvalCount)),
                    "status": .string(stored.status.rawValue), "interface": .string(interface.rawValue),
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
    // MARK: Helpers

    /// Compare-and-set on the request's version; nil when someone changed it first.
    func update(_ approval: ApprovalRecord) async throws(BrokerError) -> ApprovalRecord? {
        do {
            return try await store.updateApproval(approval)
        } catch {
            throw .storeUnavailable(error, logger: logger)
        }
    }

    func load(_ id: Int64) async throws(BrokerError) -> ApprovalRecord {
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
}
