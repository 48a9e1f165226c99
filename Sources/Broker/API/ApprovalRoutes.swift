import Foundation
import HoopCore
import Hummingbird

/// `GET /v1/approvals[?status=]`, `GET /v1/approvals/{id}[?wait=seconds]`,
/// `POST /v1/approvals/{id}/approve|deny`, and `POST /v1/approvals/{id}/cancel` (the requester withdraws it). Waiting is a long poll capped at a minute, so clients and proxies never
/// hold a request open longer than an idle timeout tolerates.
struct ApprovalRoutes: Sendable {
    static let longestWait: TimeInterval = 60

    let authenticator: Authenticator
    let approvals: ApprovalService

    func register(on router: Router<BrokerRequestContext>) {
        router.get(RouterPath(APIPath.approvals)) { request, context in
            let principal = try await authenticator.principal(for: request, context: context)
            let statusText = request.uri.queryParameters.get("status")
            let status = try statusText.map { text in
                guard let status = ApprovalStatus(rawValue: text) else {
                    let known = ApprovalStatus.allCases.map(\.rawValue).joined(separator: ", ")
                    throw APIError(
                        BrokerError(.badRequest, code: "bad_status", message: "status must be one of \(known)"))
                }
                return status
            }
            let list = try await apiCall { () async throws(BrokerError) in
                try await approvals.list(for: principal, status: status)
            }
            return JSONReply(value: list.map(\.info))
        }
        router.get(RouterPath("\(APIPath.approvals)/:id")) { request, context in
            let principal = try await authenticator.principal(for: request, context: context)
            let id = try Self.id(context)
            let wait = request.uri.queryParameters.get("wait").flatMap(TimeInterval.init) ?? 0
            let found = try await apiCall { () async throws(BrokerError) in
                let visible = try await approvals.approval(id, for: principal)
                guard wait > 0, visible.status == .pending else { return visible }
                return try await approvals.waitForDecision(id, timeout: min(wait, Self.longestWait))
            }
            return JSONReply(value: found.info)
        }
        for approve in [true, false] {
            router.post(RouterPath("\(APIPath.approvals)/:id/\(approve ? "approve" : "deny")")) { request, context in
                let principal = try await authenticator.principal(for: request, context: context)
                let id = try Self.id(context)
                let body = try await request.decodeJSON(ApprovalDecisionRequest.self)
                let decided = try await apiCall { () async throws(BrokerError) in
                    try await approvals.decide(id, approve: approve, reason: body.reason, by: principal)
                }
                return JSONReply(value: decided.info)
            }
        }
        registerCancel(on: router)
    }

    /// The requester (or an admin) withdraws a request nobody needs any more; it is audited as withdrawn.
    func registerCancel(on router: Router<BrokerRequestContext>) {
        router.post(RouterPath("\(APIPath.approvals)/:id/cancel")) { request, context in
            let principal = try await authenticator.principal(for: request, context: context)
            let id = try Self.id(context)
            let withdrawn = try await apiCall { () async throws(BrokerError) in
                try await approvals.withdraw(
                    id, why: .requesterCancelled, by: ApprovalRequester(principal),
                    admin: AccessPolicy.isAdmin(principal, config: approvals.config))
            }
            return JSONReply(value: withdrawn.info)
        }
    }

    private static func id(_ context: BrokerRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), id > 0 else {
            throw APIError(BrokerError(.badRequest, code: "bad_id", message: "approval ids are numbers, got \(text)"))
        }
        return id
    }
}
