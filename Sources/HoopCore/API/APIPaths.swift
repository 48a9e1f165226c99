/// The broker's HTTP surface, shared so client and broker cannot drift apart.
package enum APIPath {
    package static let authConfig = "/v1/auth/config"
    /// `POST` a `SAMLLoginRequest`: begin a SAML login (`SAMLLoginStart`).
    package static let samlLogin = "/v1/auth/saml/login"
    /// `POST` a `SAMLTokenRequest`: poll a SAML login for the broker's token.
    package static let samlToken = "/v1/auth/saml/token"
    /// `GET ?provider=NAME`: the broker's SAML service-provider metadata, for registering it at the IdP.
    package static let samlMetadata = "/saml/metadata"
    package static let whoami = "/v1/whoami"
    package static let resources = "/v1/resources"
    package static let sessions = "/v1/sessions"
    /// `GET`: the brokers of the deployment (`BrokerStatusReport`); auditors and admins only.
    package static let brokers = "/v1/brokers"
    package static let tunnel = "/v1/tunnel"
    package static let approvals = "/v1/approvals"
    /// `GET` with `since`, `until`, `resource`, `user`, `session` query parameters: an evidence bundle.
    package static let auditExport = "/v1/audit/export"
    /// `GET /v1/audit/proof/{seq}`: one event's inclusion proof (docs/evidence.md §5).
    package static let auditProof = "/v1/audit/proof"
    package static let healthz = "/healthz"
    package static let readyz = "/readyz"
    package static let metrics = "/metrics"

    /// One session, for `GET` (status) and `DELETE` (revoke).
    package static func session(_ id: String) -> String { "\(sessions)/\(id)" }

    /// A session's recording as JSON lines, for replay.
    package static func recording(_ id: String) -> String { "\(sessions)/\(id)/recording" }

    /// One approval request; `?wait=SECONDS` long-polls until it is decided.
    package static func approval(_ id: Int64) -> String { "\(approvals)/\(id)" }

    /// `POST` here with an `ApprovalDecisionRequest` to approve or deny.
    package static func approvalDecision(_ id: Int64, approve: Bool) -> String {
        "\(approvals)/\(id)/\(approve ? "approve" : "deny")"
    }

    /// `POST` here to withdraw one's own pending or approved, unused request.
    package static func approvalCancel(_ id: Int64) -> String { "\(approvals)/\(id)/cancel" }
}

/// The tunnel is an HTTP/1.1 Upgrade on the API port: after `101 Switching Protocols` the TLS connection carries
/// the client's protocol bytes unchanged. The grant rides in `Authorization: Bearer`.
package enum TunnelProtocol {
    /// Value of the `Upgrade` header, versioned so a future framing can coexist.
    package static let upgradeToken = "hoop-tunnel/1"
}
