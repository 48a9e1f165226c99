import Foundation

/// A throwaway PostgreSQL 15 cluster on a free loopback port (`testing/peers/postgres.sh`), with the users
/// `hoop_scram` (scram-sha-256) and `hoop_md5` (md5), password `hoop-test-password`, and database `testdb`.
final class PostgresServer: Sendable {
    static let password = "hoop-test-password"
    let port: Int
    let directory: URL
    private static let script = TestEnvironment.repositoryRoot.appendingPathComponent("testing/peers/postgres.sh").path

    private init(port: Int, directory: URL) {
        self.port = port
        self.directory = directory
    }

    static func with<Result>(_ body: (PostgresServer) async throws -> Result) async throws -> Result {
        try await PeerScript.running(script, name: "pg") { port, directory in
            try await body(PostgresServer(port: port, directory: directory))
        }
    }

    /// Runs `psql` against host:port as `hoop_scram` on `testdb` and returns its result. TLS is off: through a raw
    /// `tcp` tunnel the broker can only record what it can read, and the tests check those recordings.
    static func psql(
        port: Int, _ arguments: [String], password: String = PostgresServer.password, database: String = "testdb"
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess.run(
            "/usr/bin/psql",
            ["-h", "127.0.0.1", "-p", String(port), "-U", "hoop_scram", "-d", database, "-X", "-q", "-A", "-t"]
                + arguments,
            environment: ["PGPASSWORD": password, "PGCONNECT_TIMEOUT": "10", "PGSSLMODE": "disable"]
        )
    }
}
