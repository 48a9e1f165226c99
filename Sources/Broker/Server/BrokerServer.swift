import AsyncHTTPClient
import Foundation
import HoopCore
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
package import Logging
import Masking
import NIOCore
import NIOSSL
import ServiceLifecycle
import UnixSignals

/// Assembles and runs the broker: data dir, store, keys, TLS, identity, sessions, the API + tunnel listener and the
/// background services, until SIGINT/SIGTERM; then it closes every session (sealing recordings) and says so in the
/// audit log.
package enum BrokerServer {
    /// `routes` are served beside the API, behind its authenticator (the MCP gateway's `/mcp`).
    package static func run(
        config: BrokerConfig, logger: Logger, routes: [any MountedRoute] = [],
        onListening: @escaping @Sendable (Int) -> Void
    ) async throws {
        // Everything the broker writes (store, keys, recordings) is for its own user only.
        umask(0o077)
        let metrics = BrokerMetrics.registry()
        try FileManager.default.createDirectory(
            at: config.dataDir,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        let store = try await StoreFactory.open(config, logger: logger)
        let keys = try BrokerKeys.loadOrCreate(in: config.dataDir, audit: config.evidence.auditKey)
        let engines = try EngineRegistry(
            EngineEnvironment(
                logger: logger, dataDir: config.dataDir, maskers: maskers(config, key: keys.masking), store: store))
        let tls = try tlsConfiguration(config)
        let audit = AuditLog(store: store, logger: logger)
        let approvals = ApprovalService(
            config: config,
            store: store,
            audit: audit,
            notifier: ApprovalNotifier(config: config.approvals, web: config.web, logger: logger),
            logger: logger
        )
        let evidenceGate = EvidenceGate()
        let shared = (store as? PostgresStore).map { PostgresRecordingArchive(client: $0.client, logger: logger) }
        let deployment = BrokerDeployment(
            name: config.brokerName ?? ProcessInfo.processInfo.hostName, shared: shared != nil)
        let sessions = SessionManager(
            config: config,
            store: store,
            audit: audit,
            grants: await GrantSigner(key: keys.grant),
            approvals: approvals,
            engines: engines,
            evidenceGate: evidenceGate,
            deployment: deployment,
            archive: shared,
            logger: logger
        )
        let origin = try await store.logOrigin(proposed: config.evidence.logOrigin ?? LogOrigin.generated())
        if let configured = config.evidence.logOrigin, configured != origin {
            throw BrokerSetupError(
                path: "audit.log_origin",
                problem: "names \(configured), but this store's log is \(origin): a log keeps its name for life "
                    + "(its witnesses and auditors know it by it)")
        }
        let checkpointer = AuditCheckpointer(
            origin: origin, store: store, key: keys.audit, everyEvents: config.evidence.checkpointEvery,
            interval: config.evidence.checkpointInterval, logger: logger)
        let witnesses = WitnessCoordinator(
            config: config.evidence.witnesses,
            cosigners: config.evidence.witnesses.cosigners.map { HTTPCheckpointCosigner(url: $0.url, key: $0.key) },
            store: store, audit: audit, gate: evidenceGate, logger: logger)
        let evidence = EvidenceService(
            config: config, store: store, audit: audit, checkpointer: checkpointer, witnesses: witnesses,
            key: keys.audit, logger: logger, archive: shared)
        try await checkpointer.sealGenesis()
        try await BrokerPresence.register(deployment, listen: config.listen.description, store: store)
        try await sessions.closeInterruptedSessions()
        try await audit.record(
            AuditDraft(
                actor: "broker",
                action: .brokerStart,
                decision: .info,
                details: [
                    "listen": .string(config.listen.description),
                    "issuers": .array(config.identity.map { .string($0.issuer) }),
                    "saml_providers": .array(config.saml.map { .string($0.name) }),
                    "resources": .array(config.resources.map { .string($0.name) }),
                    "audit_public_key": .string(keys.auditPublicKeyText),
                    "log_origin": .string(origin),
                    "broker_id": .string(deployment.brokerID),
                    "broker_name": .string(deployment.name),
                    "hoopctl": .string(BuildInfo.version),
                    "policies": .object(
                        Dictionary(
                            config.resources.map { ($0.name, JSONValue.string($0.policyDigest)) },
                            uniquingKeysWith: { first, _ in first })),
                ]
            )
        )

        // Every run's first word is signed too (the witnesses get it from the evidence keeper within a second).
        try await checkpointer.checkpoint(force: true)

        let router = Router(context: BrokerRequestContext.self)
        // One account of rejected credentials per source, whether tokens on the API or direct-mode logins.
        let rejections = TokenRejectionLimiter()
        let loginTokens = await LoginTokenIssuer(key: keys.login)
        let verifier = TokenVerifier(
            providers: config.identity,
            loginTokens: config.saml.isEmpty ? nil : (loginTokens, Set(config.saml.map(\.name))),
            logger: logger)
        let authenticator = Authenticator(verifier: verifier, audit: audit, limiter: rejections)
        APIRoutes(
            config: config,
            authenticator: authenticator,
            sessions: sessions,
            approvals: approvals,
            evidence: evidence,
            store: store,
            metrics: config.metrics.listen == nil
                ? try MetricsRoute(registry: metrics, config: config.metrics, dedicatedListener: false) : nil
        ).register(on: router)
        let webSessions = config.web.map { WebSessions(config: $0, audit: audit) }
        if !config.saml.isEmpty {
            SAMLRoutes(
                login: SAMLLogin(
                    configs: config.saml, oidcIssuers: Set(config.identity.map(\.issuer)), tokens: loginTokens,
                    audit: audit, limiter: rejections, logger: logger),
                pageSessions: webSessions.map(Self.samlPageLogin)
            ).register(on: router)
        }
        if let web = config.web, let webSessions {
            WebRoutes(
                config: config, web: web, sessions: webSessions,
                authenticator: authenticator, verifier: verifier, approvals: approvals, evidence: evidence,
                store: store, audit: audit, limiter: rejections,
                extraLoginOptions: config.saml.map {
                    WebLoginOption(
                        label: "Log in with \($0.name) (SAML)", path: "\(SAMLRoutes.pageLoginPath)?provider=\($0.name)")
                },
                logger: logger
            ).register(on: router)
        }
        let loopback = LoopbackAddress()
        MountedRoutes(authenticator: authenticator, routes: routes, loopback: loopback).register(on: router)
        let servedChain = try servedChainPEM(config)
        let gate = TunnelGate(sessions: sessions, engines: engines, logger: logger)
        let application = Application(
            router: router,
            server: HTTPServerBuilder { responder in
                try TLSChannel(
                    TunnelUpgradeChannel(responder: responder, gate: gate, idleTimeout: .seconds(120)),
                    tlsConfiguration: tls
                )
            },
            configuration: ApplicationConfiguration(
                address: .hostname(config.listen.host, port: config.listen.port),
                serverName: "hoopctl-broker"
            ),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.listen.port
                loopback.bound(
                    BrokerLoopback(
                        url: "https://\(loopbackHost(config.listen.host)):\(port)", certificateChainPEM: servedChain))
                onListening(port)
            },
            logger: logger
        )
        var services: [any Service] = [
            application,
            SessionSweeper(
                sessions: sessions, approvals: approvals, authenticator: authenticator,
                rejectionSharing: deployment.shared
                    ? RejectionSharing(limiter: rejections, store: store, logger: logger) : nil),
            EvidenceKeeper(checkpointer: checkpointer, witnesses: witnesses, evidence: evidence),
            BrokerPresence(store: store, deployment: deployment, logger: logger),
            StoreChangeFollower(store: store, sessions: sessions, approvals: approvals),
        ]
        if let direct = config.postgresDirect {
            services.append(
                PostgresDirectListener(
                    config: direct,
                    tls: tls,
                    gate: PostgresDirectGate(
                        tunnels: gate, sessions: sessions, cancelKeys: try engines.postgresCancelKeys(),
                        rejections: rejections, logger: logger),
                    logger: logger))
        }
        if let metricsAddress = config.metrics.listen {
            let metricsRouter = Router(context: BrokerRequestContext.self)
            try MetricsRoute(registry: metrics, config: config.metrics, dedicatedListener: true)
                .register(on: metricsRouter)
            services.append(
                Application(
                    router: metricsRouter,
                    configuration: ApplicationConfiguration(
                        address: .hostname(metricsAddress.host, port: metricsAddress.port),
                        serverName: "hoopctl-broker-metrics"
                    ),
                    logger: logger
                ))
        }
        // Signals are BrokerShutdown's: it bounds the wait for open tunnels, which the group would wait for forever.
        var lifecycle = ServiceGroupConfiguration(services: services, logger: logger)
        lifecycle.maximumGracefulShutdownDuration = .seconds(config.shutdownGrace + 5)
        let group = ServiceGroup(configuration: lifecycle)
        let shutdown = BrokerShutdown(
            grace: config.shutdownGrace, sessions: sessions, routes: routes, logger: logger)
        var failure: (any Error)?
        do {
            try await withThrowingTaskGroup { tasks in
                tasks.addTask { try await group.run() }
                tasks.addTask { await shutdown.watch(group) }
                // The group ending (by a signal or a failure) ends the watch; a failure is rethrown here.
                try await tasks.next()
                tasks.cancelAll()
                try await tasks.waitForAll()
            }
        } catch let error as IOError where error.errnoCode == EADDRINUSE || error.errnoCode == EACCES {
            failure = BrokerSetupError(
                path: config.listen.description,
                problem:
                    "cannot be listened on: \(error.errnoCode == EADDRINUSE ? "address already in use" : "permission denied")"
            )
        } catch {
            failure = error
        }
        await sessions.closeAll()
        await authenticator.recordRejectionSummaries(everything: true)
        try await audit.record(
            AuditDraft(
                actor: "broker",
                action: .brokerStop,
                decision: .info,
                details: failure.map { ["error": .string("\($0)")] } ?? [:]
            )
        )
        // The last word of every run is signed, so an auditor can prove nothing was appended after the stop.
        try await checkpointer.checkpoint(force: true)
        await witnesses.submit()
        try? await store.brokerStopped(brokerID: deployment.brokerID, at: Date())
        await store.close()
        if let failure { throw failure }
    }

    private static func maskers(_ config: BrokerConfig, key: MaskingKey) -> [String: ValueMasker] {
        var maskers: [String: ValueMasker] = [:]
        for resource in config.resources {
            if let policy = resource.masking { maskers[resource.name] = ValueMasker(policy: policy, key: key) }
        }
        return maskers
    }

    /// The certificates the listener presents, as PEM, for mounted routes to verify the broker by on loopback.
    private static func servedChainPEM(_ config: BrokerConfig) throws -> String {
        if let files = config.tls {
            return try String(contentsOf: files.certificateChain, encoding: .utf8)
        }
        return try BrokerCertificates.servedChainPEM(dataDir: config.dataDir)
    }

    /// Where the broker reaches its own listener: a wildcard address is reached on the loopback of its family.
    private static func loopbackHost(_ host: String) -> String {
        switch host {
        case "0.0.0.0", "": "127.0.0.1"
        case "::": "[::1]"
        default: host.contains(":") ? "[\(host)]" : host
        }
    }

    /// How a verified SAML login becomes a session on the broker's pages.
    static func samlPageLogin(_ sessions: WebSessions)
        -> @Sendable (Principal, String, Request) async throws -> Response
    {
        { principal, next, request in
            try await sessions.begin(principal, via: .saml, next: next, replacing: request)
        }
    }

    private static func tlsConfiguration(_ config: BrokerConfig) throws -> TLSConfiguration {
        if let files = config.tls {
            let chain = try NIOSSLCertificate.fromPEMFile(files.certificateChain.path)
            let key = try NIOSSLPrivateKey(file: files.privateKey.path, format: .pem)
            return TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) },
                privateKey: .privateKey(key)
            )
        }
        var hosts = [config.listen.host, "localhost", "127.0.0.1", "::1"]
        if let hostname = ProcessInfo.processInfo.hostName.split(separator: ".").first, !hostname.isEmpty {
            hosts.append(String(hostname))
        }
        var unique: [String] = []
        for host in hosts where !unique.contains(host) && host != "0.0.0.0" && host != "::" {
            unique.append(host)
        }
        return try BrokerCertificates.serverConfiguration(dataDir: config.dataDir, hosts: unique)
    }
}
