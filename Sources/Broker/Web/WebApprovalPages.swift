import Foundation
import HoopCore
import Hummingbird
import Logging

/// `GET /approvals`, `GET /approvals/{id}` and `POST /approvals/{id}` (a decision). Every decision goes through
/// `ApprovalService.decide`, so the page holds exactly the rules `hoopctl approvals approve` does (approver groups,
/// no self-approval, once per approver, open requests only); its refusals are shown on the request's page.
struct WebApprovalPages: Sendable {
    /// How many of the requester's earlier requests and sessions an approver sees.
    static let historyLength = 10

    let approvals: ApprovalService
    let store: any Store
    let sessions: WebSessions
    let guardian: WebFormGuard
    let logger: Logger

    struct DecisionForm: Decodable {
        var csrf: String?
        var decision: String?
        var comment: String?
    }

    func register(on router: Router<BrokerRequestContext>) {
        router.get("/approvals") { request, _ in
            guard let session = sessions.current(request) else { return WebRoutes.toLogin(request) }
            return try await list(session)
        }
        router.get("/approvals/:id") { request, context in
            guard let session = sessions.current(request) else { return WebRoutes.toLogin(request) }
            guard let id = Self.id(context) else { return WebRoutes.notFound(session) }
            let decided = request.uri.queryParameters.get("decided")
            let notice = decided.map { $0 == "approve" ? "You approved this request." : "You denied this request." }
            return try await page(id, session: session, notice: notice, error: nil)
        }
        router.post("/approvals/:id") { request, context in
            guard let session = sessions.current(request) else { return WebRoutes.toLogin(request) }
            guard let id = Self.id(context) else { return WebRoutes.notFound(session) }
            let form: DecisionForm
            do {
                form = try await guardian.form(DecisionForm.self, from: request)
                try guardian.checkToken(form.csrf, session: session)
            } catch {
                return WebRoutes.refused(error, session: session)
            }
            guard let decision = form.decision, decision == "approve" || decision == "deny" else {
                return try await page(
                    id, session: session, notice: nil, error: "Choose Approve or Deny.", status: .badRequest)
            }
            let comment = form.comment?.trimmingCharacters(in: .whitespacesAndNewlines)
            do throws(BrokerError) {
                _ = try await approvals.decide(
                    id, approve: decision == "approve", reason: comment?.isEmpty == false ? comment : nil,
                    by: session.principal, via: .web)
            } catch {
                let message = [error.message, error.hint].compactMap { $0 }.joined(separator: " — ")
                return try await page(
                    id, session: session, notice: nil, error: message, status: APIError.status(for: error.kind))
            }
            return WebPage.redirect(to: "/approvals/\(id)?decided=\(decision)")
        }
    }

    /// Pending requests the person's groups may decide.
    private func list(_ session: WebSession) async throws -> Response {
        let principal = session.principal
        let pending = try await apiCall { () async throws(BrokerError) in
            try await approvals.list(for: principal, status: .pending)
        }
        let now = Date()
        let mine = pending.filter { !Set(principal.groups).isDisjoint(with: $0.approverGroups) && $0.expiresAt > now }
        let view = WebApprovalListView(
            groups: principal.groups.isEmpty ? "(no groups)" : principal.groups.joined(separator: ", "),
            approvals: mine.map { WebApprovalCard($0.info) })
        return WebPage.render(.approvals, view, title: "Pending approvals", chrome: WebChrome(session))
    }

    /// One request with its requester's recent history, or the page's "not found" for a request this person may
    /// not see (the same answer as for one that does not exist).
    private func page(
        _ id: Int64, session: WebSession, notice: String?, error: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let principal = session.principal
        let approval: ApprovalRecord
        do {
            approval = try await approvals.approval(id, for: principal)
        } catch {
            guard error.kind == .notFound else { throw APIError(error) }
            return WebRoutes.notFound(session)
        }
        let visible = try await apiCall { () async throws(BrokerError) in
            try await approvals.list(for: principal, status: nil)
        }
        let history = visible.filter {
            $0.id != id && $0.requesterIssuer == approval.requesterIssuer
                && $0.requesterSubject == approval.requesterSubject
        }.sorted { $0.createdAt > $1.createdAt }.prefix(Self.historyLength).map { WebApprovalCard($0.info) }
        let recentSessions: [SessionRecord]
        do {
            recentSessions = try await store.sessions(
                issuer: approval.requesterIssuer, subject: approval.requesterSubject, limit: Self.historyLength)
        } catch {
            throw APIError(.storeUnavailable(error, logger: logger))
        }
        let view = WebApprovalView(
            approval.info, csrf: session.csrfToken, history: Array(history),
            sessions: recentSessions.map {
                WebSessionLine(
                    id: $0.id, resource: $0.resource, status: $0.status.rawValue,
                    started: Timestamp.format($0.createdAt))
            },
            notice: notice, error: error, now: Date())
        return WebPage.render(.approval, view, title: "Approval #\(id)", chrome: WebChrome(session), status: status)
    }

    private static func id(_ context: BrokerRequestContext) -> Int64? {
        context.parameters.get("id").flatMap(Int64.init).flatMap { $0 > 0 ? $0 : nil }
    }
}
