import HoopCore

/// Why a direct-mode login was refused. The client hears one of a few fixed answers (PostgreSQL's own "password
/// authentication failed" for every credential or session problem), so it learns nothing about other sessions; the
/// reason goes to the audit log's `tunnel.deny` and to the per-source rejection limiter.
struct DirectLoginRefusal: Error, Sendable {
    enum Reason: Sendable {
        /// Fail-closed witnessing has no witness: no new connection until they cosign again.
        case evidenceUnwitnessed
        /// The source sent too many rejected credentials this window.
        case throttled(retryAfter: Double)
        /// `hoop`, the loopback port's user name, which names no session.
        case loopbackLogin
        /// No login has this name (never issued, or its session's lifetime is over).
        case unknownLogin
        case wrongPassword
        /// The login's session is no longer active (revoked, expired, closed) or was never stored.
        case sessionEnded(SessionStatus?)
        case resourceNotDirect
        /// A CancelRequest with a key no live direct connection was given.
        case unknownCancelKey
        /// The broker could not decide (its store or audit log failed); not the client's fault.
        case brokerFailure(BrokerError)

        /// The audit log's and the limiter's word for it.
        var code: String {
            switch self {
            case .evidenceUnwitnessed: "evidence_unwitnessed"
            case .throttled: "too_many_rejected_logins"
            case .loopbackLogin: "loopback_login"
            case .unknownLogin: "unknown_login"
            case .wrongPassword: "wrong_password"
            case .sessionEnded(let status): "session_\(status?.rawValue ?? "missing")"
            case .resourceNotDirect: "resource_not_direct"
            case .unknownCancelKey: "unknown_cancel_key"
            case .brokerFailure(let error): error.code
            }
        }

        /// Whether the refusal is a bad credential, which the per-source limiter counts.
        var countsAsRejected: Bool {
            switch self {
            case .evidenceUnwitnessed, .throttled, .brokerFailure: false
            default: true
            }
        }
    }

    var reason: Reason
    /// The session the login names, when the name found one that the store still holds.
    var session: SessionRecord?
    /// Whether the client presented the session's password: the audit event is then the session principal's
    /// (its holder, or whoever has its login), otherwise an anonymous client's.
    var passwordMatched: Bool

    init(_ reason: Reason, session: SessionRecord? = nil, passwordMatched: Bool = false) {
        self.reason = reason
        self.session = session
        self.passwordMatched = passwordMatched
    }
}
