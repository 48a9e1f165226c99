import Foundation
import HoopCore
import Hummingbird
import Prometheus

/// The JSON API, one route per endpoint in `APIPath`. Handlers stay thin: authenticate, call the session manager,
/// encode the answer.
struct APIRoutes: Sendable {
    let config: BrokerConfig
    let authenticator: Authenticator
    let sessions: SessionManager
    let approvals: ApprovalService
    let evidence: EvidenceService
    let store: any Store
    /// `/metrics` on the main port; nil when the metrics have a listener of their own.
    let metrics: MetricsRoute?

    func register(on router: Router<BrokerRequestContext>) {
        router.get(RouterPath(APIPath.healthz)) { _, _ in "ok\n" }
        router.get(RouterPath(APIPath.readyz)) { _, _ in try await readiness() }
        metrics?.register(on: router)
        router.get(RouterPath(APIPath.authConfig)) { _, _ in JSONReply(value: authConfig()) }
        router.get(RouterPath(APIPath.whoami)) { request, context in
            JSONReply(value: try await authenticator.principal(for: request, context: context))
        }
        router.get(RouterPath(APIPath.resources)) { request, context in
            let principal = try await authenticator.principal(for: request, context: context)
            let visible = config.resources.filter { AccessPolicy.allows(principal, $0) }
            return JSONReply(
                value: visible.map(ResourceInfo.init(describing:))
            )
        }
        router.post(RouterPath(APIPath.sessions)) { request, context in
            let principal = try await authenticator.principal(for: request, context: context)
            let body = try await request.decodeJSON(SessionRequest.self)
            let opening = try await apiCall { () async throws(BrokerError) in
                try await sessions.open(body, for: principal)
            }
            switch opening {
            case .granted(let session, let grant, let credentials):
                return try JSONReply(
                    value: SessionGrantResponse(session: session.info, grant: grant, credentials: credentials),
                    status: .created
                ).response()
            case .pending(let approval):
                return try JSONReply(value: SessionPendingResponse(approval: approval.info), status: .accepted)
                    .response()
            }
        }
        router.get(RouterPath(APIPath.brokers)) { request, context in
            let principal = try await authenticator.principal(for: request, context: context)
            return JSONReply(
                value: try await apiCall { () async throws(BrokerError) in
                    try await sessions.brokerStatus(for: principal)
                })
        }
        router.get(RouterPath(APIPath.sessions)) { request, context in
            let principal = try await authenticator.principal(for: request, context: context)
            let query = request.uri.queryParameters
            let all = query.get("all") == "true"
            let list = try await apiCall { () async throws(BrokerError) in
                try await sessions.list(for: principal, all: all)
            }
            let since = query.get("since").flatMap(Timestamp.parse)
            let filtered = list.filter { session in
                query.get("resource").map { $0 == session.resource } ?? true
                    && query.get("user").map { $0 == session.subject || $0 == session.email } ?? true
                    && since.map { session.createdAt >= $0 } ?? true
            }
            return JSONReply(value: filtered.map(\.info))
        }
        router.get(RouterPath("\(APIPath.sessions)/:id")) { request, context in
            let principal = try await authenticator.principal(for: request, context: context)
            let id = try context.parameters.require("id")
            let found = try await apiCall { () async throws(BrokerError) in
                try await sessions.session(id, for: principal)
            }
            return JSONReply(value: found.info)
        }
        router.delete(RouterPath("\(APIPath.sessions)/:id")) { request, context in
            let principal = try await authenticator.principal(for: request, context: context)
            let id = try context.parameters.require("id")
            let ended = try await apiCall { () async throws(BrokerError) in
                try await sessions.revoke(id, by: principal)
            }
            return JSONReply(value: ended.info)
        }
        ApprovalRoutes(authenticator: authenticator, approvals: approvals).register(on: router)
        EvidenceRoutes(authenticator: authenticator, evidence: evidence).register(on: router)
        router.get(RouterPath(APIPath.tunnel)) { _, _ -> Response in
            throw APIError(
                BrokerError(
                    .badRequest,
                    code: "upgrade_required",
                    message:
                        "tunnels open with `Upgrade: \(TunnelProtocol.upgradeToken)` as a connection's first request",
                    hint: "use `hoopctl connect`"
                )
            )
        }
    }

    private func authConfig() -> AuthConfigResponse {
        AuthConfigResponse(
            issuers: config.identity.map {
                IssuerInfo(issuer: $0.issuer, audience: $0.audience, cliClientID: $0.cliClientID, scopes: $0.scopes)
            },
            saml: config.saml.isEmpty ? nil : config.saml.map { SAMLProviderInfo(name: $0.name) }
        )
    }

    /// Ready when the store answers: a broker that cannot audit must not take traffic.
    private func readiness() async throws -> Response {
        do {
            _ = try await store.auditEvents(from: Int64.max, limit: 1)
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ready\n")))
        } catch {
            throw APIError(
                BrokerError(.unavailable, code: "store_unavailable", message: "store check failed: \(error)"))
        }
    }

}

/// Runs a domain call and turns its `BrokerError` into the API's error answer.
func apiCall<Value>(_ body: () async throws(BrokerError) -> Value) async throws -> Value {
    do {
        return try await body()
    } catch {
        throw APIError(error)
    }
}
