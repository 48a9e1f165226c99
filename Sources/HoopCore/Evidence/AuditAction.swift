/// The name of an audit event's action, as the chain spells it. One vocabulary for the broker that writes events,
/// the verifier that reads them and the exports that filter them, so a name cannot drift between writer and reader.
///
/// A struct of constants rather than an enum: the spellings are part of the stable evidence format, and a
/// verifier must still read a bundle whose broker knew actions this build does not.
package struct AuditAction: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    package let rawValue: String

    package init(rawValue: String) {
        self.rawValue = rawValue
    }

    package var description: String { rawValue }
}

// MARK: The broker's own life

extension AuditAction {
    package static let brokerStart = AuditAction(rawValue: "broker.start")
    package static let brokerStop = AuditAction(rawValue: "broker.stop")
}

// MARK: Identity

extension AuditAction {
    package static let tokenAccepted = AuditAction(rawValue: "auth.token_accepted")
    package static let tokenRejected = AuditAction(rawValue: "auth.token_rejected")
    /// One source's rejected tokens over a window, past the ones audited one by one, and how often it was throttled.
    package static let tokenRejectionsSummarized = AuditAction(rawValue: "auth.token_rejections")
    /// A SAML assertion verified at the ACS endpoint, and the identity it vouched for.
    package static let samlLogin = AuditAction(rawValue: "auth.saml_login")
    /// A SAML response refused at the ACS endpoint, with the precise reason.
    package static let samlRejected = AuditAction(rawValue: "auth.saml_rejected")
    /// A person logged in to the approver web page (a web session began), with the login method.
    package static let webLogin = AuditAction(rawValue: "web.login")
    /// A web page login that did not finish: state, PKCE, nonce or token refused, with the reason.
    package static let webLoginRefused = AuditAction(rawValue: "web.login_refused")
    /// A person logged out of the approver web page.
    package static let webLogout = AuditAction(rawValue: "web.logout")
}

// MARK: Sessions and their connections

extension AuditAction {
    package static let sessionGrant = AuditAction(rawValue: "session.grant")
    package static let sessionDeny = AuditAction(rawValue: "session.deny")
    package static let sessionRevoke = AuditAction(rawValue: "session.revoke")
    /// Carries the recording's digest, binding the file to the chain.
    package static let sessionClose = AuditAction(rawValue: "session.close")
    /// A session a previous run left active, closed at the next start; or, on a shared store, a session whose
    /// owning broker died, taken over by another.
    package static let sessionInterrupted = AuditAction(rawValue: "session.interrupted")
    /// Another broker of the deployment started serving a session it did not grant: it records that part in its own
    /// recording segment (`details.recording`).
    package static let sessionJoin = AuditAction(rawValue: "session.join")
    /// Seals one broker's recording segment of a session (`details.recording`, `recording_digest`,
    /// `recording_events`) when that broker's part ends and it is not the one writing `session.close`.
    package static let recordingSeal = AuditAction(rawValue: "recording.seal")
    package static let tunnelDeny = AuditAction(rawValue: "tunnel.deny")
    package static let connectionOpen = AuditAction(rawValue: "connection.open")
    package static let connectionClose = AuditAction(rawValue: "connection.close")
    package static let connectionError = AuditAction(rawValue: "connection.error")
    /// Which detectors and columns fired in a result, and how often; never the values.
    package static let maskingApplied = AuditAction(rawValue: "masking.applied")
}

// MARK: MCP resources

extension AuditAction {
    /// A tool of an MCP resource seen for the first time, its definition pinned (fingerprint in the details).
    package static let mcpToolPinned = AuditAction(rawValue: "mcp.tool_pinned")
    /// A pinned tool's definition changed upstream; calls to it are held until the new one is approved.
    package static let mcpToolChanged = AuditAction(rawValue: "mcp.tool_changed")
    /// An approver re-approved a changed tool: its new definition is the pin.
    package static let mcpToolRepinned = AuditAction(rawValue: "mcp.tool_repinned")
}

// MARK: Evidence

extension AuditAction {
    package static let auditExport = AuditAction(rawValue: "audit.export")
    package static let auditKeyRotated = AuditAction(rawValue: "audit.key_rotated")
    package static let recordingPruned = AuditAction(rawValue: "recording.pruned")
    /// Fewer witnesses than the quorum cosigned the newest checkpoint for longer than the grace period.
    package static let witnessUnreachable = AuditAction(rawValue: "evidence.witness_unreachable")
    /// The quorum cosigns again after an alert.
    package static let witnessRecovered = AuditAction(rawValue: "evidence.witness_recovered")
    /// A witness holds a tree this log does not extend: it saw a larger or different log (rollback or fork).
    package static let witnessConflict = AuditAction(rawValue: "evidence.witness_conflict")
}

extension AuditEvent {
    /// This event's action in the shared vocabulary.
    package var kind: AuditAction { AuditAction(rawValue: action) }
}
