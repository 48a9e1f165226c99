import Foundation
import HoopCore

extension ApprovalService {
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
            // Also wake every few seconds to read the request again: on a shared store the decision may come from
            // another broker, and its announcement can be lost with a dropped listener connection.
            let wakeAt = min(deadline, approval.expiresAt, Date().addingTimeInterval(Self.rereadInterval))
            let token = UUID()
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    waiters.add(continuation, id: id, token: token)
                    Task {
                        try? await Task.sleep(for: .seconds(max(0.01, wakeAt.timeIntervalSinceNow)))
                        self.wake(id, token)
                    }
                }
            } onCancel: {
                Task { await self.wake(id, token) }
            }
        }
    }

    func wake(_ id: Int64, _ token: UUID) {
        waiters.wake(id: id, token: token)
    }

    /// The request changed in the store (possibly through another broker): its waiters read it again.
    func changed(_ id: Int64) {
        waiters.wakeAll(id: id)
    }

    /// How long a waiter goes without reading its request again when no change is announced.
    static let rereadInterval: TimeInterval = 3

    /// The requester's approved, unspent request for exactly `statement` on `resource`, if one is still usable: an
    /// agent that repeats a held MCP call after its approval gets it spent without naming it, since it cannot add
    /// an approval id to another server's tool arguments.
    func approvedRequest(
        by requester: ApprovalRequester, resource: String, kind: ApprovalKind, statement: String, now: Date = Date()
    ) async throws(BrokerError) -> ApprovalRecord? {
        let digest = Self.digest(statement)
        do {
            return try await store.approvals(status: .approved, limit: 1_000).first {
                requester.made($0) && $0.resource == resource && $0.kind == kind && $0.statementSHA256 == digest
                    && !isStale($0, now: now)
            }
        } catch {
            throw .storeUnavailable(error, logger: logger)
        }
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
            if isStale(approval, now: now) {
                _ = try await expire(approval, now: now)
                throw BrokerError(
                    .forbidden,
                    code: "approval_expired",
                    message:
                        "approval \(id) was approved but not used within \(DurationText.format(config.approvals.useWithin)); "
                        + "request a new one"
                )
            }
            approval.status = .used
            let stored = try await update(approval)
            guard let stored else { continue }
            try await auditor.record(requester.name, .used, stored, .allow, ["session": JSONValue(session)])
            waiters.wakeAll(id: id)
            return stored
        }
        throw BrokerError(
            .unavailable, code: "approval_contended", message: "approval \(id) keeps changing; try again")
    }

    /// Expires every pending request past its deadline, and every approved one left unused past
    /// `approvals.use_within`. Run periodically.
    func expireDue(now: Date = Date()) async {
        if let pending = try? await store.approvals(status: .pending, limit: 1_000) {
            for approval in pending where approval.expiresAt <= now {
                _ = try? await expire(approval, now: now)
            }
        }
        if let approved = try? await store.approvals(status: .approved, limit: 1_000) {
            for approval in approved where isStale(approval, now: now) {
                _ = try? await expire(approval, now: now)
            }
        }
    }

    /// Approved, and not used within `approvals.use_within` of the approval.
    func isStale(_ approval: ApprovalRecord, now: Date) -> Bool {
        guard approval.status == .approved, let approvedAt = approval.approvedAt else { return false }
        return approvedAt.addingTimeInterval(config.approvals.useWithin) <= now
    }

    func expire(_ approval: ApprovalRecord, now: Date) async throws(BrokerError) -> ApprovalRecord {
        var expired = approval
        expired.status = .expired
        let stored = try await update(expired)
        guard let stored else { return try await load(approval.id) }
        try await auditor.record("broker", .expired, stored, .deny, [:])
        notifier.notify(.expired, stored)
        waiters.wakeAll(id: approval.id)
        return stored
    }
}
