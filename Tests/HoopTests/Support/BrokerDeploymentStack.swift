import Foundation

/// Three broker processes sharing one PostgreSQL store behind haproxy, as `docs/deployment.md` sets them up: one
/// set of keys and one TLS identity (the first broker creates them; the others get copies before they start), the
/// same configuration, and a data directory each for what stays local.
struct BrokerDeploymentStack: Sendable {
    let brokers: [BrokerProcess]
    let haproxy: HAProxy
    let storePort: Int
    static let storeDatabase = "hoop_store"

    /// A client that reaches the deployment through haproxy.
    func client(_ name: String, clientID: String, secret: String) async throws -> ClientCLI {
        let cli = try ClientCLI(
            broker: brokers[0], name: name, extra: ["HOOP_BROKER": haproxy.url, "HOOP_CLIENT_SECRET": secret])
        let login = try await cli.run(["login", "--client-id", clientID])
        guard login.status == 0 else { throw PeerError("login of \(clientID) failed: \(login.stderr)") }
        return cli
    }

    /// The same person's client pointed at one broker directly, bypassing haproxy (to pin where a request lands),
    /// logged in there: tokens are cached per broker address.
    func pinned(_ client: ClientCLI, to broker: BrokerProcess, clientID: String) async throws -> ClientCLI {
        var pinned = client
        pinned.environment["HOOP_BROKER"] = broker.url
        let login = try await pinned.run(["login", "--client-id", clientID])
        guard login.status == 0 else {
            throw PeerError("login of \(clientID) at \(broker.url) failed: \(login.stderr)")
        }
        return pinned
    }

    /// Runs SQL on the shared store's database, as its operator would.
    func storeQuery(_ sql: String) async throws -> String {
        let result = try await ChildProcess.run(
            "/usr/bin/psql",
            [
                "-h", "127.0.0.1", "-p", String(storePort), "-U", "hoop_scram", "-d", Self.storeDatabase, "-X", "-q",
                "-A", "-t", "-c", sql,
            ],
            environment: ["PGPASSWORD": PostgresServer.password, "PGCONNECT_TIMEOUT": "10", "PGSSLMODE": "disable"])
        guard result.status == 0 else { throw PeerError("store query failed: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts the deployment on `pg` (which also holds the store's database) and runs `body`; stops everything after.
    static func with(
        idp: IdentityProvider, pg: PostgresServer, resourcesYAML: String, extraYAML: String = "",
        environment: [String: String], _ body: (BrokerDeploymentStack) async throws -> Void
    ) async throws {
        let created = try await PostgresServer.psql(port: pg.port, ["-c", "CREATE DATABASE \(storeDatabase)"])
        guard created.status == 0 else { throw PeerError("cannot create the store database: \(created.stderr)") }
        let store = """
            store:
              url: postgres://hoop_scram@127.0.0.1:\(pg.port)/\(storeDatabase)
              password_env: HOOP_STORE_PASSWORD
              tls: disable
              max_connections: 8
            """
        var env = environment
        env["HOOP_STORE_PASSWORD"] = PostgresServer.password
        var brokers: [BrokerProcess] = []
        func stopAll() async {
            for broker in brokers where broker.isRunning { await broker.stop() }
            for broker in brokers { broker.remove() }
        }
        do {
            for index in 0..<3 {
                let directory = try TestEnvironment.scratchDirectory("broker")
                if let first = brokers.first {
                    try shareIdentity(from: first.dataDir, to: directory.appendingPathComponent("data"))
                }
                brokers.append(
                    try await BrokerProcess(
                        issuer: idp.issuer, resourcesYAML: resourcesYAML,
                        extraYAML: "broker_name: broker-\(index + 1)\n\(store)\n\(extraYAML)", environment: env,
                        directory: directory))
            }
            let haproxy = try await HAProxy(backends: brokers.map(\.port))
            do {
                try await body(BrokerDeploymentStack(brokers: brokers, haproxy: haproxy, storePort: pg.port))
            } catch {
                await haproxy.stop()
                throw error
            }
            await haproxy.stop()
        } catch {
            await stopAll()
            throw error
        }
        await stopAll()
    }

    /// Copies the deployment's keys and TLS identity into a new broker's data directory (mode 0700, files 0600).
    private static func shareIdentity(from source: URL, to data: URL) throws {
        let files = FileManager.default
        try files.createDirectory(at: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for folder in ["keys", "tls"] {
            try files.copyItem(at: source.appendingPathComponent(folder), to: data.appendingPathComponent(folder))
        }
    }
}
