package import Foundation
package import HoopCore
package import Masking

/// The broker's validated configuration. Built only by `ConfigLoader`, so every instance has passed validation.
package struct BrokerConfig: Sendable {
    package var listen: HostPort
    /// Absolute path of the directory holding the store, keys, certificate and recordings.
    package var dataDir: URL
    package var identity: [IdentityProviderConfig]
    /// SAML identity providers, beside the OIDC ones in `identity`.
    package var saml: [SAMLProviderConfig] = []
    package var resources: [ResourceConfig]
    /// Members of these groups may list and revoke every session, not only their own.
    package var adminGroups: [String]
    /// Operator-supplied certificate; when absent the broker creates and serves its own.
    package var tls: TLSFiles?
    package var logLevel: String
    package var approvals: ApprovalsConfig
    /// Members may export audit evidence and replay anyone's sessions (admins may too).
    package var auditorGroups: [String]
    package var evidence: EvidenceConfig
    /// Who may read `/metrics`.
    package var metrics: MetricsConfig = .off
    /// The direct-mode PostgreSQL listener; nil (the default) serves none.
    package var postgresDirect: PostgresDirectConfig?
    /// How long a stopping broker lets open tunnel connections finish (a statement waiting for approval, a query
    /// still running) before it closes them (`shutdown_grace`).
    package var shutdownGrace: TimeInterval = BrokerConfig.defaultShutdownGrace
    /// The approver web page; nil (the default) serves none.
    package var web: WebConfig?
    /// This broker's name among the brokers of a deployment (`broker_name`); nil uses the host name.
    package var brokerName: String?
    /// Where the broker keeps its state: the embedded SQLite file, or a PostgreSQL database brokers share.
    package var store: StoreLocation = .embedded

    package static let defaultShutdownGrace: TimeInterval = 10

    package func resource(named name: String) -> ResourceConfig? {
        resources.first { $0.name == name }
    }
}

/// How evidence is signed and kept.
package struct EvidenceConfig: Sendable {
    /// A checkpoint is signed after this many new audit events...
    package var checkpointEvery: Int
    /// ...or this many seconds, whichever comes first.
    package var checkpointInterval: TimeInterval
    /// Recordings of sessions that ended longer ago than this are replaced by signed tombstones; nil keeps them.
    package var recordingRetention: TimeInterval?
    /// Where the audit signing key lives.
    package var auditKey: AuditKeySource
    /// The audit log's name in checkpoints; nil keeps the one the store was given.
    package var logOrigin: String?
    package var witnesses: WitnessConfig

    package static let defaults = EvidenceConfig(
        checkpointEvery: 100, checkpointInterval: 60, recordingRetention: nil, auditKey: .dataDir, logOrigin: nil,
        witnesses: .none)
}

/// A `host:port` pair as written in the config.
package struct HostPort: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    package var port: Int

    package var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// One trusted OIDC issuer.
package struct IdentityProviderConfig: Sendable {
    package var issuer: String
    package var audience: String
    package var groupsClaim: String
    package var emailClaim: String
    /// Pinned signature algorithms; only asymmetric ones are accepted by the loader.
    package var algorithms: [String]
    /// Public client id `hoopctl login` uses for the device flow.
    package var cliClientID: String?
    /// Public client id the approver web page logs people in with (authorization code + PKCE); nil offers no web
    /// login through this issuer.
    package var webClientID: String? = nil
    package var scopes: [String]
    /// Clock skew tolerated on `exp` and `nbf`.
    package var leeway: TimeInterval
    /// How long fetched keys are trusted without a successful refetch; past it, tokens fail closed.
    package var jwksCacheTTL: TimeInterval
    /// Minimum spacing of refetches triggered by an unknown `kid`, so forged kids cannot hammer the issuer.
    package var jwksRefreshMinInterval: TimeInterval
}

/// A target the broker can open sessions to.
package struct ResourceConfig: Sendable {
    package var name: String
    package var type: ResourceType
    package var address: HostPort
    package var allowGroups: [String]
    package var maxSession: TimeInterval
    /// Result rows recorded per statement; the rest are counted and the truncation is noted.
    package var recordRows: Int
    /// How the resource's engine reaches and logs in to the target; its type is the engine's own.
    package var target: any ResourceTarget
    /// When set, a session on this resource starts only once approved.
    package var sessionApproval: ApprovalRequirement?
    /// Statement rules, judged in the engine before anything reaches the target.
    package var guardrails: [GuardrailRule]
    /// What the engine masks in results before they leave the broker.
    package var masking: MaskingPolicy?
    /// SHA-256 of the resource's definition as loaded and the enforcing release (`PolicyDigest`), named by every
    /// session's grant.
    package var policyDigest = ""
}

/// Paths to an operator-supplied certificate chain and key (PEM).
package struct TLSFiles: Sendable {
    package var certificateChain: URL
    package var privateKey: URL
}
