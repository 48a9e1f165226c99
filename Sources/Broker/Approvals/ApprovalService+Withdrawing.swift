import Foundation
import HoopCore

extension ApprovalService {
    // MARK: Withdrawing

    /// Withdraws a request that is still pending, or approved and unused, on its requester's behalf (or an
    /// admin's, with `principal`): it is audited, approvers are told, waiters wake and see it closed, and it can
    /// never be spent. A request that is closed already is returned as it is when its requester asks, so a
    /// withdrawal racing an expiry or a denial is not an error.
    func withdraw(_ id: Int64, why: ApprovalWithdrawal, by requester: ApprovalRequester, admin: Bool = false)
        async throws(BrokerError) -> ApprovalRecord
    {
        for _ in 0..<5 {
            var approval = try await load(id)
            guard requester.made(approval) || admin else {
                throw BrokerError(
                    .forbidden, code: "not_the_requester",
                    message: "approval \(id) was requested by \(approval.requesterName); only they can cancel it",
                    hint: "approvers deny a request instead: `hoopctl approvals deny \(id) --reason ...`")
            }
            guard approval.status.isOpen else { return approval }
            approval.status = .withdrawn
            let stored = try await update(approval)
            guard let stored else { continue }
            try await auditor.record(requester.name, .withdrawn, stored, .deny, ["why": .string(why.rawValue)])
            notifier.notify(.withdrawn, stored)
            waiters.wakeAll(id: id)
            return stored
        }
        throw BrokerError(
            .unavailable, code: "approval_contended", message: "approval \(id) keeps changing; try again")
    }
}
