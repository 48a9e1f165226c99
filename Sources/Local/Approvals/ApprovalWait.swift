package import Foundation
package import HoopCore

/// How a command behaves when the broker holds something for approval: wait (showing progress) or stop at once
/// with exit status 4 and the request id, so an agent can come back with `--approval ID`.
package struct ApprovalWait: Sendable {
    package var wait: Bool
    /// Called with the request whenever its state is (re)reported while waiting.
    package var onUpdate: @Sendable (ApprovalInfo) -> Void

    package init(wait: Bool, onUpdate: @escaping @Sendable (ApprovalInfo) -> Void) {
        self.wait = wait
        self.onUpdate = onUpdate
    }

    /// Never waits and reports nothing: a held request comes back at once as `approvalPending`, for callers that
    /// hand the request to someone else (an agent) instead of a terminal.
    package static let noWait = ApprovalWait(wait: false, onUpdate: { _ in })

    /// The session request and tunnel headers of a run that brings `approval`: an approved session request goes
    /// into the session request, a statement's or command's rides on the tunnel, and the headers say whether the
    /// broker should hold what needs approval or refuse it at once.
    func bringing(_ approval: ApprovalInfo?, to request: SessionRequest)
        -> (request: SessionRequest, headers: [(name: String, value: String)])
    {
        var request = request
        var headers = [(name: ApprovalHeader.mode, value: self.wait ? "wait" : "no-wait")]
        if let approval {
            if approval.kind == .session {
                request.approval = approval.id
            } else {
                headers.append((ApprovalHeader.approval, String(approval.id)))
            }
        }
        return (request, headers)
    }

    /// Picks up a request an earlier run left (`--approval ID`): waits for it while pending (or stops with status 4
    /// under --no-wait, naming the same request), and refuses one that is closed or is not for a session on
    /// `resource`. Nothing new is requested, so a rerun never piles up requests for the approvers.
    package func resumeSession(_ id: Int64, on resource: String, client: BrokerClient) async throws(LocalError)
        -> ApprovalInfo
    {
        let approval = try await client.approval(id)
        guard approval.kind == .session, approval.resource == resource else {
            let subject =
                approval.kind == .session ? "a session on \(approval.resource)" : "a statement on \(approval.resource)"
            throw LocalError(
                .invalidInput, "approval \(id) is for \(subject), not a session on \(resource)",
                hint: "pass the id `hoopctl connect \(resource) --no-wait` printed", approval: id)
        }
        return try await self.awaitApproval(approval, client: client)
    }

    /// Opens a session, waiting for its approval when the resource asks for one.
    package func openSession(_ client: BrokerClient, _ request: SessionRequest) async throws(LocalError)
        -> SessionGrantResponse
    {
        switch try await client.createSession(request) {
        case .granted(let granted):
            return granted
        case .pending(let approval):
            let approved = try await self.awaitApproval(approval, client: client)
            var retry = request
            retry.approval = approved.id
            guard case .granted(let granted) = try await client.createSession(retry) else {
                throw LocalError(.brokerError, "the broker asked for approval again after approval \(approved.id)")
            }
            return granted
        }
    }

    /// Returns the request once approved; throws `approvalPending` (not waiting) or `denied` (denied, expired).
    /// A request that is decided already is answered at once, waiting or not, so `--no-wait --approval ID` on an
    /// approved request goes ahead.
    package func awaitApproval(_ approval: ApprovalInfo, client: BrokerClient) async throws(LocalError)
        -> ApprovalInfo
    {
        var current = approval
        guard current.status == .pending else {
            return try Self.settled(current)
        }
        guard self.wait else {
            throw Self.pending(current)
        }
        while current.status == .pending {
            self.onUpdate(current)
            current = try await client.approval(current.id, wait: 25)
        }
        self.onUpdate(current)
        return try Self.settled(current)
    }

    /// The request's final state as a result: approved passes, everything else is a refusal naming who and why.
    static func settled(_ approval: ApprovalInfo) throws(LocalError) -> ApprovalInfo {
        switch approval.status {
        case .approved:
            return approval
        case .denied:
            let decision = approval.decisions.last { !$0.approve }
            let reason = decision?.reason.map { ": \($0)" } ?? ""
            throw LocalError(
                .denied, "approval \(approval.id) was denied by \(decision?.approver ?? "an approver")\(reason)",
                approval: approval.id)
        case .expired:
            throw LocalError(
                .denied, "approval \(approval.id) expired before anyone decided it",
                hint: "ask again, and tell an approver (\(approval.approverGroups.joined(separator: ", ")))",
                approval: approval.id)
        case .withdrawn:
            throw LocalError(.denied, "approval \(approval.id) was withdrawn; it covers nothing", approval: approval.id)
        case .used, .pending:
            throw LocalError(.denied, "approval \(approval.id) is \(approval.status.rawValue)", approval: approval.id)
        }
    }

    static func pending(_ approval: ApprovalInfo) -> LocalError {
        LocalError(
            .approvalPending,
            "approval \(approval.id) is pending: \(approval.minApprovals) approval(s) needed from "
                + approval.approverGroups.joined(separator: ", "),
            hint: "an approver runs `\(approval.approveCommand)`; then run again with --approval \(approval.id)",
            approval: approval.id
        )
    }

    /// A one-line status for terminals: who must act, how long it has waited, and when the request expires.
    package static func statusLine(_ approval: ApprovalInfo, now: Date = Date()) -> String {
        let what = approval.kind == .session ? "session on \(approval.resource)" : "statement"
        switch approval.status {
        case .pending:
            let have = approval.decisions.filter(\.approve).count
            let waited = DurationText.format(max(0, now.timeIntervalSince(approval.createdAt)))
            let left = DurationText.format(max(0, approval.expiresAt.timeIntervalSince(now)))
            return "waiting for approval \(approval.id) of the \(what) (\(have)/\(approval.minApprovals) from "
                + "\(approval.approverGroups.joined(separator: ", ")); waited \(waited), expires in \(left)); "
                + "an approver runs: \(approval.approveCommand)"
        default:
            return "approval \(approval.id): \(approval.status.rawValue)"
        }
    }
}
