import Foundation
import Testing

/// What every fail-closed test runs against: an identity provider, a PostgreSQL 15 published as resource `pg-prod`,
/// a broker — its data dir optionally on a small tmpfs the test can fill — and an agent logged in with client
/// credentials. Processes are stopped and the filesystem unmounted whatever the test does.
struct FailClosedStack {
    let pg: PostgresServer
    let broker: BrokerProcess
    let agent: ClientCLI
    /// The broker's data dir, when the test asked for it on a filesystem of its own.
    let dataFilesystem: SmallFilesystem?

    static let environment = ["PG_PROD_PASSWORD": PostgresServer.password]

    static func with(dataMegabytes: Int? = nil, _ body: (FailClosedStack) async throws -> Void) async throws {
        try await IdentityProvider.with { idp in
            try await PostgresServer.with { pg in
                let directory = try TestEnvironment.scratchDirectory("broker")
                defer { try? FileManager.default.removeItem(at: directory) }
                let filesystem = try dataMegabytes.map {
                    try SmallFilesystem(at: directory.appendingPathComponent("data"), megabytes: $0)
                }
                defer { filesystem?.unmount() }
                let broker = try await BrokerProcess(
                    issuer: idp.issuer,
                    resourcesYAML: PostgresEndToEndTests.resources(pgPort: pg.port),
                    environment: environment,
                    directory: directory
                )
                try await broker.stoppingAfter {
                    let agent = try await ClientCLI.loggedIn(broker)
                    try await body(FailClosedStack(pg: pg, broker: broker, agent: agent, dataFilesystem: filesystem))
                }
            }
        }
    }

    /// Runs SQL on the target directly (not through the broker) and returns psql's unaligned output lines.
    func onTarget(_ sql: String) async throws -> [String] {
        let result = try await PostgresServer.psql(port: pg.port, ["-v", "ON_ERROR_STOP=1", "-c", sql])
        guard result.status == 0 else { throw PeerError("psql on the target failed: \(result.stderr)") }
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// `hoopctl broker audit` on the broker's own config: the operator's check of the chain.
    func operatorAuditCheck() async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess.run(TestEnvironment.hoopctl, ["broker", "audit", "--config", broker.configFile.path])
    }

    /// Runs SQL through a `hoopctl connect` port with the session's login, as a user's psql would.
    static func throughBroker(port: Int, password: String, _ sql: String) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try await ChildProcess.run(
            "/usr/bin/psql",
            ["-h", "127.0.0.1", "-p", String(port), "-U", "hoop", "-d", "testdb", "-X", "-q", "-A", "-t", "-c", sql],
            environment: ["PGPASSWORD": password, "PGCONNECT_TIMEOUT": "10", "PGSSLMODE": "disable"]
        )
    }

    /// Polls `condition` every 100 ms for up to a minute: for states another process reaches in its own time.
    static func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<600 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PeerError("timed out waiting until \(what)")
    }
}
