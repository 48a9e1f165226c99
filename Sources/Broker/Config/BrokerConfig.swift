public import Foundation
public import HoopCore
public import Masking

/// The broker's validated configuration. Built only by `ConfigLoader`, so every instance has passed validation.
public struct BrokerConfig: Sendable {
    public var listen: HostPort
    /// Absolute path of the directory holding the store, keys, certificate and recordings.
    public var dataDir: URL
    public var identity: [IdentityProviderConfig]
    public var resources: [ResourceConfig]
    /// Members of these groups may list and revoke every session, not only their own.
    public var adminGroups: [String]
    /// Operator-supplied certificate; when absent the broker creates and serves its own.
    public var tls: TLSFiles?
    public var logLevel: String
    public var approvals: ApprovalsConfig
    /// Members may export audit evidence and replay anyone's sessions (admins may too).
    public var auditorGroups: [String]
    public var evidence: EvidenceConfig

    public func resource(named name: String) -> ResourceConfig? {
        resources.first { $0.name == name }
    }
}

/// How evidence is signed and kept.
public struct EvidenceConfig: Sendable {
    /// A checkpoint is signed after this many new audit events...
    public var checkpointEvery: Int
    /// ...or this many seconds, whichever comes first.
    public var checkpointInterval: TimeInterval
    /// Recordings of sessions that ended longer ago than this are replaced by signed tombstones; nil keeps them.
    public var recordingRetention: TimeInterval?

    public static let defaults = EvidenceConfig(checkpointEvery: 100, checkpointInterval: 60, recordingRetention: nil)
}

/// A `host:port` pair as written in the config.
public struct HostPort: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// One trusted OIDC issuer.
public struct IdentityProviderConfig: Sendable {
    public var issuer: String
    public var audience: String
    public var groupsClaim: String
    public var emailClaim: String
    /// Pinned signature algorithms; only asymmetric ones are accepted by the loader.
    public var algorithms: [String]
    /// Public client id `hoopctl login` uses for the device flow.
    public var cliClientID: String?
    public var scopes: [String]
    /// Clock skew tolerated on `exp` and `nbf`.
    public var leeway: TimeInterval
    /// How long fetched keys are trusted without a successful refetch; past it, tokens fail closed.
    public var jwksCacheTTL: TimeInterval
    /// Minimum spacing of refetches triggered by an unknown `kid`, so forged kids cannot hammer the issuer.
    public var jwksRefreshMinInterval: TimeInterval
}

/// A target the broker can open sessions to.
public struct ResourceConfig: Sendable {
    public var name: String
    public var type: ResourceType
    public var address: HostPort
    public var allowGroups: [String]
    public var maxSession: TimeInterval
    /// Result rows recorded per statement; the rest are counted and the truncation is noted.
    public var recordRows: Int
    /// How the resource's engine reaches and logs in to the target; its type is the engine's own.
    public var target: any ResourceTarget
    /// When set, a session on this resource starts only once approved.
    public var sessionApproval: ApprovalRequirement?
    /// Statement rules, judged in the engine before anything reaches the target.
    public var guardrails: [GuardrailRule]
    /// What the engine masks in results before they leave the broker.
    public var masking: MaskingPolicy?
}

/// Paths to an operator-supplied certificate chain and key (PEM).
public struct TLSFiles: Sendable {
    public var certificateChain: URL
    public var privateKey: URL
}
