/// The broker's HTTP surface, shared so client and broker cannot drift apart.
public enum APIPath {
    public static let authConfig = "/v1/auth/config"
    public static let whoami = "/v1/whoami"
    public static let resources = "/v1/resources"
    public static let sessions = "/v1/sessions"
    public static let tunnel = "/v1/tunnel"
    public static let approvals = "/v1/approvals"
    /// `GET` with `since`, `until`, `resource`, `user`, `session` query parameters: an evidence bundle.
    public static let auditExport = "/v1/audit/export"
    public static let healthz = "/healthz"
    public static let readyz = "/readyz"
    public static let metrics = "/metrics"

    /// One session, for `GET` (status) and `DELETE` (revoke).
    public static func session(_ id: String) -> String { "\(sessions)/\(id)" }

    /// A session's recording as JSON lines, for replay.
    public static func recording(_ id: String) -> String { "\(sessions)/\(id)/recording" }

    /// One approval request; `?wait=SECONDS` long-polls until it is decided.
    public static func approval(_ id: Int64) -> String { "\(approvals)/\(id)" }

    /// `POST` here with an `ApprovalDecisionRequest` to approve or deny.
    public static func approvalDecision(_ id: Int64, approve: Bool) -> String {
        "\(approvals)/\(id)/\(approve ? "approve" : "deny")"
    }
}

/// The tunnel is an HTTP/1.1 Upgrade on the API port: after `101 Switching Protocols` the TLS connection carries
/// the client's protocol bytes unchanged. The grant rides in `Authorization: Bearer`.
public enum TunnelProtocol {
    /// Value of the `Upgrade` header, versioned so a future framing can coexist.
    public static let upgradeToken = "hoop-tunnel/1"
}
