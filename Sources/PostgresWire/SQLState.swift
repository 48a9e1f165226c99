/// A SQLSTATE: the five-character code in an ErrorResponse or NoticeResponse. A struct rather than a closed enum,
/// because targets send codes nobody here lists and clients pass them on; the codes the broker and `hoopctl exec`
/// send or look for are named below, once, with PostgreSQL's condition names (Appendix A of its manual).
package struct SQLState: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    package let rawValue: String

    package init(rawValue: String) {
        self.rawValue = rawValue
    }

    package var description: String { rawValue }

    // MARK: PostgreSQL's own codes

    /// `connection_exception`
    package static let connectionException = SQLState(rawValue: "08000")
    /// `connection_failure`
    package static let connectionFailure = SQLState(rawValue: "08006")
    /// `protocol_violation`
    package static let protocolViolation = SQLState(rawValue: "08P01")
    /// `feature_not_supported`
    package static let featureNotSupported = SQLState(rawValue: "0A000")
    /// `invalid_authorization_specification`
    package static let invalidAuthorization = SQLState(rawValue: "28000")
    /// `invalid_password`
    package static let invalidPassword = SQLState(rawValue: "28P01")
    /// `insufficient_privilege`
    package static let insufficientPrivilege = SQLState(rawValue: "42501")
    /// `undefined_function`: what the target answers to the broker's refusal probe.
    package static let undefinedFunction = SQLState(rawValue: "42883")
    /// `system_error`
    package static let systemError = SQLState(rawValue: "58000")
    /// `io_error`
    package static let ioError = SQLState(rawValue: "58030")
    /// `internal_error`
    package static let internalError = SQLState(rawValue: "XX000")

    // MARK: The broker's signals

    /// A guardrail blocked the statement, or its approval was denied or expired. It is PostgreSQL's
    /// `insufficient_privilege`, so every client already reads it as "not allowed".
    package static let refusedByBroker = insufficientPrivilege
    /// Notice: the statement is held until the approval request (its id in the detail field) is decided.
    /// Class HP is the broker's own; PostgreSQL reserves no class starting with H.
    package static let approvalWaiting = SQLState(rawValue: "HP001")
    /// Error: the statement needs approval and the client asked not to wait; the request (its id in the detail
    /// field) stays open.
    package static let approvalPending = SQLState(rawValue: "HP002")
}
