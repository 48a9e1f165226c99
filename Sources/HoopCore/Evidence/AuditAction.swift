/// The name of an audit event's action, as the chain spells it. One vocabulary for the broker that writes events,
/// the verifier that reads them and the exports that filter them, so a name cannot drift between writer and reader.
///
/// A struct of constants rather than an enum: the spellings are part of the stable evidence format, and a
/// verifier must still read a bundle whose broker knew actions this build does not.
public struct AuditAction: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
}

// MARK: The broker's own life

extension AuditAction {
    public static let brokerStart = AuditAction(rawValue: "broker.start")
    public static let brokerStop = AuditAction(rawValue: "broker.stop")
}

// MARK: Identity

extension AuditAction {
    public static let tokenAccepted = AuditAction(rawValue: "auth.token_accepted")
    public static let tokenRejected = AuditAction(rawValue: "auth.token_rejected")
}

// MARK: Sessions and their connections

extension AuditAction {
    public static let sessionGrant = AuditAction(rawValue: "session.grant")
    public static let sessionDeny = AuditAction(rawValue: "session.deny")
    public static let sessionRevoke = AuditAction(rawValue: "session.revoke")
    /// Carries the recording's digest, binding the file to the chain.
    public static let sessionClose = AuditAction(rawValue: "session.close")
    /// A session a previous run left active, closed at the next start.
    public static let sessionInterrupted = AuditAction(rawValue: "session.interrupted")
    public static let tunnelDeny = AuditAction(rawValue: "tunnel.deny")
    public static let connectionOpen = AuditAction(rawValue: "connection.open")
    public static let connectionClose = AuditAction(rawValue: "connection.close")
    public static let connectionError = AuditAction(rawValue: "connection.error")
    /// Which detectors and columns fired in a result, and how often; never the values.
    public static let maskingApplied = AuditAction(rawValue: "masking.applied")
}

// MARK: Evidence

extension AuditAction {
    public static let auditExport = AuditAction(rawValue: "audit.export")
    public static let auditKeyRotated = AuditAction(rawValue: "audit.key_rotated")
    public static let recordingPruned = AuditAction(rawValue: "recording.pruned")
}

extension AuditEvent {
    /// This event's action in the shared vocabulary.
    public var kind: AuditAction { AuditAction(rawValue: action) }
}
