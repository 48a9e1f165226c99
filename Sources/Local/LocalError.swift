package import HoopCore

/// Every failure the client library reports. It carries the exit status scripts branch on and a message that says
/// what happened and, in `hint`, what to do next, so commands only print it.
package struct LocalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, stable enough for agents to branch on (it is the `code` of JSON error output).
    package enum Kind: String, Sendable, Equatable {
        case invalidInput = "invalid_input"
        case brokerUnreachable = "broker_unreachable"
        case brokerUntrusted = "broker_untrusted"
        case brokerCertificateChanged = "broker_certificate_changed"
        case trustDeclined = "trust_declined"
        case notLoggedIn = "not_logged_in"
        case loginExpired = "login_expired"
        case unauthorized
        case denied
        case notFound = "not_found"
        case brokerError = "broker_error"
        case identityProvider = "identity_provider"
        case loginDenied = "login_denied"
        case loginTimedOut = "login_timed_out"
        case localFile = "local_file"
        case tunnel
        case sessionRevoked = "session_revoked"
        case approvalPending = "approval_pending"
        /// Evidence checked offline did not hold up.
        case verificationFailed = "verification_failed"
    }

    package var kind: Kind
    /// What happened, with the context needed to recognise it (broker, file, resource...).
    package var message: String
    /// What to do next, when there is something the user can do.
    package var hint: String?
    /// The broker's machine-readable code when the broker produced this error.
    package var brokerCode: String?
    /// The approval request this failure is about (pending, denied or expired), so agents can resume with it.
    package var approval: Int64?

    package init(
        _ kind: Kind, _ message: String, hint: String? = nil, brokerCode: String? = nil, approval: Int64? = nil
    ) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.brokerCode = brokerCode
        self.approval = approval
    }

    /// The documented exit code for this failure (DESIGN.md §6).
    package var exitStatus: ExitStatus {
        switch self.kind {
        case .invalidInput:
            .usage
        case .brokerUnreachable:
            .brokerUnreachable
        case .denied, .sessionRevoked:
            .denied
        case .approvalPending:
            .approvalPending
        case .brokerUntrusted, .brokerCertificateChanged, .trustDeclined, .notLoggedIn, .loginExpired, .unauthorized,
            .notFound, .brokerError, .identityProvider, .loginDenied, .loginTimedOut, .localFile, .tunnel,
            .verificationFailed:
            .error
        }
    }

    /// The error in the API's own error shape, for `--output json`.
    package var detail: APIErrorDetail {
        APIErrorDetail(
            code: self.brokerCode ?? self.kind.rawValue, message: self.message, hint: self.hint, approval: self.approval
        )
    }

    /// One line: the message, then what to do next.
    package var description: String {
        guard let hint else { return self.message }
        return "\(self.message); \(hint)"
    }
}
