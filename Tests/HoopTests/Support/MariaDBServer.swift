import Foundation

/// A throwaway MariaDB 10.11 server on a free loopback port (`testing/peers/mariadb.sh`), with the users
/// `hoop_native` (mysql_native_password), `hoop_ed25519` (ed25519) and `hoop_tls` (native, REQUIRE SSL), password
/// `hoop-test-password`, database `testdb`, and TLS with `ca.pem` to verify it. It starts in about a second here.
final class MariaDBServer: Sendable {
    static let password = "hoop-test-password"
    let port: Int
    let directory: URL
    private static let script = TestEnvironment.repositoryRoot.appendingPathComponent("testing/peers/mariadb.sh").path

    /// The accounts the script creates, by their authentication.
    enum User: String, CaseIterable {
        case native = "hoop_native"
        case ed25519 = "hoop_ed25519"
        case tlsRequired = "hoop_tls"
    }

    private init(port: Int, directory: URL) {
        self.port = port
        self.directory = directory
    }

    /// The certificate the server presents, to verify it against.
    var caFile: URL {
        directory.appendingPathComponent("ca.pem")
    }

    static func with<Result>(_ body: (MariaDBServer) async throws -> Result) async throws -> Result {
        try await PeerScript.running(script, name: "mariadb") { port, directory in
            try await body(MariaDBServer(port: port, directory: directory))
        }
    }

    /// Runs the `mariadb` client against host:port as `user` on `testdb` (batch mode: tab-separated, no headers)
    /// and returns its result. TLS is off unless the user requires it.
    static func mariadb(port: Int, user: User = .native, _ arguments: [String], password: String = password)
        async throws -> (status: Int32, stdout: String, stderr: String)
    {
        let tls = user == .tlsRequired ? ["--ssl"] : ["--skip-ssl"]
        return try await ChildProcess.run(
            "/usr/bin/mariadb",
            [
                "-h", "127.0.0.1", "-P", String(port), "-u", user.rawValue, "--batch", "--skip-column-names",
                "--connect-timeout=10", "testdb",
            ] + tls + arguments,
            environment: ["MYSQL_PWD": password]
        )
    }
}
