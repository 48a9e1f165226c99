import HoopCore

/// Writes the audit events of session transitions. A failed append refuses whatever the event describes, so the
/// chain never misses a transition that took effect.
struct SessionAuditor: Sendable {
    let audit: AuditLog

    func record(
        _ actor: String,
        _ action: AuditAction,
        _ resource: String?,
        _ session: String?,
        _ decision: AuditDecision,
        _ details: JSONValue
    ) async throws(BrokerError) {
        do {
            try await audit.record(
                AuditDraft(
                    actor: actor, action: action, resource: resource, session: session, decision: decision,
                    details: details)
            )
        } catch {
            throw .auditUnavailable(error)
        }
    }
}
