import Logging

/// A refusal or failure the broker reports to a client. Domain code says what kind of problem it is; the API layer
/// maps the kind to an HTTP status, so the same error reads the same over the API and in the tunnel handshake.
package struct BrokerError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        case badRequest
        case unauthenticated
        case forbidden
        case notFound
        case unavailable
        case badGateway
        case internalFailure
        /// The caller sent too many failing requests; it may retry later.
        case rateLimited
    }

    package var kind: Kind
    /// Stable machine-readable code, also used in audit events.
    package var code: String
    package var message: String
    /// What the caller can do about it.
    package var hint: String?

    package init(_ kind: Kind, code: String, message: String, hint: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.hint = hint
    }

    package var description: String { "\(code): \(message)" }

    static func unauthenticated(_ rejection: TokenRejection) -> BrokerError {
        BrokerError(
            .unauthenticated,
            code: rejection.code,
            message: rejection.description,
            hint: "run `hoopctl login` to get a fresh token"
        )
    }

    /// The store failed under a request: logged once here with its cause, answered as unavailable.
    static func storeUnavailable(_ error: any Error, logger: Logger) -> BrokerError {
        logger.error("store failure", metadata: ["error": "\(error)"])
        return BrokerError(.unavailable, code: "store_unavailable", message: "the broker's store failed: \(error)")
    }

    /// Fail-closed witnessing: the audit log's witnesses stopped cosigning and the operator asked for no new
    /// access without them.
    static func evidenceUnwitnessed(_ reason: String) -> BrokerError {
        BrokerError(
            .unavailable,
            code: "evidence_unwitnessed",
            message: "the broker refuses new access until its audit log is witnessed again: \(reason)",
            hint: "ask the operator to check the witnesses in audit.witnesses"
        )
    }

    static func auditUnavailable(_ error: AuditWriteError) -> BrokerError {
        BrokerError(
            .unavailable,
            code: "audit_unavailable",
            message: "the broker cannot write its audit trail, so it refuses all access: \(error.underlying)",
            hint: "ask the operator to check the broker's data directory"
        )
    }
}
