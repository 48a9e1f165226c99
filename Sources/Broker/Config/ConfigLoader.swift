package import Foundation
import HoopCore
import Yams

/// Reads `broker.yaml`, applies `HOOP_*` environment overrides, and validates everything before the broker starts,
/// so a bad config stops the broker with one precise message instead of failing later on a live request.
package enum ConfigLoader {
    /// `checkSecrets` is off for operator commands that never reach a target (`broker audit`, `pubkey`), so they
    /// run without the targets' credentials in their environment.
    package static func load(
        file: URL,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        checkSecrets: Bool = true
    ) throws(ConfigError) -> BrokerConfig {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ConfigError(path: "", message: "cannot read \(file.path): \(error.localizedDescription)")
        }
        let baseDirectory = file.deletingLastPathComponent()
        return try parse(yaml: text, relativeTo: baseDirectory, environment: environment, checkSecrets: checkSecrets)
    }

    package static func parse(
        yaml: String,
        relativeTo baseDirectory: URL,
        environment: [String: String] = [:],
        checkSecrets: Bool = true
    ) throws(ConfigError) -> BrokerConfig {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigError(path: "", message: "not valid YAML: \(error)")
        }
        var root = try ConfigNode(node, path: "")

        let listenInFile = try root.string("listen")
        let listen = try hostPort(environment["HOOP_LISTEN"] ?? listenInFile ?? "127.0.0.1:8443", path: "listen")
        let dataDirInFile = try root.string("data_dir")
        let dataDirText = environment["HOOP_DATA_DIR"] ?? dataDirInFile ?? "./.hoop-broker"
        let dataDir = resolve(dataDirText, against: baseDirectory)
        let logLevelInFile = try root.string("log_level")
        let logLevel = environment["HOOP_LOG_LEVEL"] ?? logLevelInFile ?? "info"
        guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel) else {
            throw ConfigError(path: "log_level", message: "expected trace, debug, info, notice, warning or error")
        }
        let adminGroups = try root.stringList("admin_groups") ?? []

        var tls: TLSFiles?
        if var tlsNode = try root.mapping("tls") {
            let cert = try tlsNode.requiredString("cert_file")
            let key = try tlsNode.requiredString("key_file")
            try tlsNode.rejectUnknownKeys()
            tls = TLSFiles(
                certificateChain: resolve(cert, against: baseDirectory),
                privateKey: resolve(key, against: baseDirectory)
            )
        }

        let identityNodes = try root.mappings("identity") ?? []
        guard !identityNodes.isEmpty else {
            throw ConfigError(path: "identity", message: "at least one identity provider is required")
        }
        var identity: [IdentityProviderConfig] = []
        var saml: [SAMLProviderConfig] = []
        for var item in identityNodes {
            if var samlNode = try item.mapping("saml") {
                saml.append(try samlProvider(&samlNode, base: baseDirectory))
                try item.rejectUnknownKeys()
            } else {
                identity.append(try identityProvider(&item))
            }
        }
        if let duplicate = duplicate(identity.map(\.issuer)) {
            throw ConfigError(path: "identity", message: "issuer \(duplicate) is listed twice")
        }
        if let duplicate = duplicate(saml.compactMap(\.identityProviderEntityID)) {
            throw ConfigError(path: "identity", message: "two SAML providers pin the IdP \(duplicate)")
        }
        if let duplicate = duplicate(saml.map(\.name)) {
            throw ConfigError(
                path: "identity", message: "SAML provider name \(duplicate) is used twice; give each a name")
        }

        var resources: [ResourceConfig] = []
        for var item in try root.mappings("resources") ?? [] {
            let secrets = checkSecrets ? environment : nil
            resources.append(try resource(&item, environment: secrets, base: baseDirectory))
        }
        if let duplicate = duplicate(resources.map(\.name)) {
            throw ConfigError(path: "resources", message: "resource name \(duplicate) is used twice")
        }
        let postgresDirect = try postgresDirect(try root.mapping("postgres_direct"), listen: listen)
        if postgresDirect == nil, let index = resources.firstIndex(where: \.allowsDirect) {
            throw ConfigError(
                path: "resources[\(index)].allow_direct",
                message: "direct connections need the broker's PostgreSQL listener: add postgres_direct.listen")
        }
        let approvals = try approvalsConfig(try root.mapping("approvals"))
        let auditorGroups = try root.stringList("auditor_groups") ?? []
        var evidence = EvidenceConfig.defaults
        if var audit = try root.mapping("audit") {
            evidence.checkpointEvery = try audit.count("checkpoint_every") ?? evidence.checkpointEvery
            evidence.checkpointInterval = try audit.duration("checkpoint_interval") ?? evidence.checkpointInterval
            evidence.auditKey = try audit.auditKeySource(base: baseDirectory)
            if let origin = try audit.string("log_origin") {
                guard NoteKeyName.isValid(origin) else {
                    throw ConfigError(path: "audit.log_origin", message: "must be non-empty, without spaces or +")
                }
                evidence.logOrigin = origin
            }
            evidence.witnesses = try audit.witnessConfig(base: baseDirectory)
            try audit.rejectUnknownKeys()
            guard evidence.checkpointEvery > 0 else {
                throw ConfigError(path: "audit.checkpoint_every", message: "must be at least 1")
            }
        }
        var metrics = MetricsConfig.off
        if var node = try root.mapping("metrics") {
            if let (reference, key) = try node.secretKeys("token", base: baseDirectory) {
                try node.check(reference, key: key, environment: checkSecrets ? environment : nil)
                metrics.token = reference
            }
            if let text = try node.string("listen") {
                metrics.listen = try hostPort(text, path: "metrics.listen")
            }
            try node.rejectUnknownKeys()
        }
        if var retention = try root.mapping("retention") {
            evidence.recordingRetention = try retention.duration("recordings")
            try retention.rejectUnknownKeys()
        }
        let shutdownGrace = try root.duration("shutdown_grace") ?? BrokerConfig.defaultShutdownGrace
        let brokerName = try root.string("broker_name")
        if let brokerName, !Self.isBrokerName(brokerName) {
            throw ConfigError(
                path: "broker_name", message: "expected 1 to 63 letters, digits, '.', '_' or '-' (got \(brokerName))")
        }
        let web = try webConfig(try root.mapping("web"))
        let store = try storeLocation(
            try root.mapping("store"), base: baseDirectory, environment: checkSecrets ? environment : nil)
        try root.rejectUnknownKeys()

        var config = BrokerConfig(
            listen: listen,
            dataDir: dataDir,
            identity: identity,
            resources: resources,
            adminGroups: adminGroups,
            tls: tls,
            logLevel: logLevel,
            approvals: approvals,
            auditorGroups: auditorGroups,
            evidence: evidence,
            metrics: metrics,
            postgresDirect: postgresDirect
        )
        config.shutdownGrace = shutdownGrace
        config.brokerName = brokerName
        config.saml = saml
        config.web = web
        config.store = store
        return config
    }

    /// A broker's name is shown beside its id in `hoopctl broker status` and the audit log; keep it printable.
    private static func isBrokerName(_ name: String) -> Bool {
        (1...63).contains(name.utf8.count) && name.utf8.allSatisfy(PlainName.allows)
    }

    /// `postgres_direct: { listen: host:port, login_timeout: 10s }`.
    private static func postgresDirect(_ node: ConfigNode?, listen api: HostPort) throws(ConfigError)
        -> PostgresDirectConfig?
    {
        guard var node else { return nil }
        let listen = try hostPort(try node.requiredString("listen"), path: "postgres_direct.listen")
        guard listen.port != 0 else {
            throw ConfigError(
                path: "postgres_direct.listen", message: "needs a fixed port: clients are told it with their session")
        }
        guard listen != api else {
            throw ConfigError(
                path: "postgres_direct.listen", message: "\(listen) is the API's address (listen); choose another port")
        }
        let timeout = try node.duration("login_timeout") ?? PostgresDirectConfig.defaultLoginTimeout
        try node.rejectUnknownKeys()
        return PostgresDirectConfig(listen: listen, loginTimeout: timeout)
    }

    static let asymmetricAlgorithms = ["RS256", "ES256", "EdDSA"]

    private static func identityProvider(_ node: inout ConfigNode) throws(ConfigError) -> IdentityProviderConfig {
        let issuer = try node.requiredString("issuer")
        guard let url = URL(string: issuer), let scheme = url.scheme, let host = url.host, !host.isEmpty else {
            throw ConfigError(path: "\(node.path).issuer", message: "expected an absolute URL, got '\(issuer)'")
        }
        if scheme == "http" {
            guard LoopbackHost.isLoopback(host) else {
                throw ConfigError(
                    path: "\(node.path).issuer",
                    message: "http is accepted for loopback issuers only; use https for \(host)"
                )
            }
        } else if scheme != "https" {
            throw ConfigError(path: "\(node.path).issuer", message: "expected an https URL")
        }
        let algorithms = try node.stringList("algorithms") ?? asymmetricAlgorithms
        for algorithm in algorithms where !asymmetricAlgorithms.contains(algorithm) {
            throw ConfigError(
                path: "\(node.path).algorithms",
                message: "\(algorithm) is not allowed; choose from \(asymmetricAlgorithms.joined(separator: ", "))"
            )
        }
        let config = IdentityProviderConfig(
            issuer: issuer,
            audience: try node.requiredString("audience"),
            groupsClaim: try node.string("groups_claim") ?? "groups",
            emailClaim: try node.string("email_claim") ?? "email",
            algorithms: algorithms,
            cliClientID: try node.string("cli_client_id") ?? "hoopctl",
            webClientID: try node.string("web_client_id"),
            scopes: try node.stringList("scopes") ?? ["openid", "email", "profile", "offline_access"],
            leeway: try node.duration("leeway") ?? 60,
            jwksCacheTTL: try node.duration("jwks_cache_ttl") ?? 3_600,
            jwksRefreshMinInterval: try node.duration("jwks_refresh_min_interval") ?? 30
        )
        try node.rejectUnknownKeys()
        // The page's ID tokens are addressed to the web client; were that the API's audience too, an ID token
        // (which proves a login to the page, not a grant to the API) would pass as an access token.
        if let web = config.webClientID, web == config.audience {
            throw ConfigError(
                path: "\(node.path).web_client_id",
                message: "must differ from audience (\(web)): the page's ID tokens must not be API access tokens")
        }
        return config
    }

    private static func resource(_ node: inout ConfigNode, environment: [String: String]?, base: URL)
        throws(ConfigError) -> ResourceConfig
    {
        let policyDigest = PolicyDigest.of(resource: node)
        let name = try node.requiredString("name")
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw ConfigError(path: "\(node.path).name", message: "use letters, digits, '-', '_' or '.' only")
        }
        let typeText = try node.requiredString("type")
        guard let engine = EngineCatalog.descriptor(for: ResourceType(rawValue: typeText)) else {
            let known = EngineCatalog.knownTypes.map(\.rawValue).joined(separator: ", ")
            throw ConfigError(path: "\(node.path).type", message: "unknown type '\(typeText)'; supported: \(known)")
        }
        let address = try engine.address(&node)
        let allowGroups = try node.stringList("allow_groups") ?? []
        let masking = try masking(&node, engine: engine)
        let context = TargetParsing(
            base: base, environment: environment, isMasked: masking != nil, address: address)
        var config = ResourceConfig(
            name: name,
            type: engine.type,
            address: address,
            allowGroups: allowGroups,
            maxSession: try node.duration("max_session") ?? 3_600,
            recordRows: try node.count("record_rows") ?? 100,
            target: try engine.parseTarget(&node, context),
            sessionApproval: try node.mapping("session_approval").map { node throws(ConfigError) in
                var node = node
                return try approvalRequirement(&node)
            },
            guardrails: try guardrails(&node, engine: engine),
            masking: masking
        )
        config.policyDigest = policyDigest
        try node.rejectUnknownKeys()
        return config
    }

    private static func approvalsConfig(_ node: ConfigNode?) throws(ConfigError) -> ApprovalsConfig {
        guard var node else { return .defaults }
        let timeout = try node.duration("timeout") ?? ApprovalsConfig.defaults.timeout
        let useWithin = try node.duration("use_within") ?? ApprovalsConfig.defaults.useWithin
        var notify: [ApprovalWebhook] = []
        for var item in try node.mappings("notify") ?? [] {
            let group = try item.requiredString("group")
            let text = try item.requiredString("url")
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
                url.host?.isEmpty == false
            else {
                throw ConfigError(path: "\(item.path).url", message: "expected an http or https URL, got '\(text)'")
            }
            try item.rejectUnknownKeys()
            notify.append(ApprovalWebhook(group: group, url: url))
        }
        try node.rejectUnknownKeys()
        return ApprovalsConfig(timeout: timeout, useWithin: useWithin, notify: notify)
    }

    /// `approvers` (groups, at least one) and `min_approvals` (default 1, at most the distinct people that could
    /// exist is unknown here, so only its lower bound is checked).
    static func approvalRequirement(_ node: inout ConfigNode, keepUnknown: Bool = false) throws(ConfigError)
        -> ApprovalRequirement
    {
        let approvers = try node.stringList("approvers") ?? []
        guard !approvers.isEmpty else {
            throw ConfigError(path: "\(node.path).approvers", message: "name at least one approver group")
        }
        let minimum = try node.count("min_approvals") ?? 1
        guard minimum >= 1 else {
            throw ConfigError(path: "\(node.path).min_approvals", message: "must be at least 1")
        }
        if !keepUnknown { try node.rejectUnknownKeys() }
        return ApprovalRequirement(approvers: approvers, minApprovals: minimum)
    }

    package static func hostPort(_ text: String, path: String) throws(ConfigError) -> HostPort {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else {
                throw ConfigError(path: path, message: "expected [host]:port, got '\(text)'")
            }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw ConfigError(path: path, message: "expected host:port, got '\(text)'")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65_535).contains(port) else {
            throw ConfigError(path: path, message: "expected host:port with a port from 0 to 65535, got '\(text)'")
        }
        return HostPort(host: String(host), port: port)
    }

    /// Relative paths in the config are relative to the config file's directory, not the working directory.
    static func resolve(_ path: String, against base: URL) -> URL {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
        return url.standardizedFileURL
    }

    private static func duplicate(_ names: [String]) -> String? {
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted {
            return name
        }
        return nil
    }
}
