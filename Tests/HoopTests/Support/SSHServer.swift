import Foundation

/// A throwaway OpenSSH server on a free loopback port (`testing/peers/sshd.sh`): user `hooptest` (password
/// `hoop-ssh-password`) accepts the key in `brokerKey`; `wrongKey` is a key it does not accept.
final class SSHServer: Sendable {
    static let user = "hooptest"
    static let password = "hoop-ssh-password"
    let port: Int
    let directory: URL
    private static let script = TestEnvironment.repositoryRoot.appendingPathComponent("testing/peers/sshd.sh").path

    var brokerKey: URL { directory.appendingPathComponent("broker_ed25519") }
    var wrongKey: URL { directory.appendingPathComponent("wrong_ed25519") }
    var knownHosts: URL { directory.appendingPathComponent("known_hosts") }

    /// The server's host key as OpenSSH writes it (`ssh-ed25519 AAAA...`), for `host_key` pins.
    var hostKey: String {
        get throws { try Self.publicKey(directory.appendingPathComponent("host_ed25519.pub")) }
    }

    /// A key that is not the server's, for pins that must not match.
    var otherHostKey: String {
        get throws { try Self.publicKey(directory.appendingPathComponent("wrong_ed25519.pub")) }
    }

    private init(port: Int, directory: URL) {
        self.port = port
        self.directory = directory
    }

    static func with<Result>(_ body: (SSHServer) async throws -> Result) async throws -> Result {
        try await PeerScript.running(script, name: "sshd") { port, directory in
            try await body(SSHServer(port: port, directory: directory))
        }
    }

    /// The committed SSH_ASKPASS script, which answers `HOOP_TEST_SSH_PASSWORD`.
    static let askpass = TestEnvironment.repositoryRoot.appendingPathComponent("testing/peers/askpass.sh").path

    /// The environment under which OpenSSH asks `askpass` for `password` instead of a terminal.
    static func askpassEnvironment(_ password: String) -> [String: String] {
        ["SSH_ASKPASS": askpass, "SSH_ASKPASS_REQUIRE": "force", "DISPLAY": "", "HOOP_TEST_SSH_PASSWORD": password]
    }

    /// Runs OpenSSH's `ssh` (or `scp`) with a password that SSH_ASKPASS answers, standard input from `stdin`.
    /// The connect timeout also bounds the banner exchange, which a broker busy with the rest of the suite can take
    /// more than ten seconds to reach on two cores.
    static func openSSH(
        _ program: String = "ssh",
        _ arguments: [String],
        password: String,
        stdin: FileHandle? = nil,
        scratch: URL
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess.run(
            "/usr/bin/\(program)",
            ["-o", "BatchMode=no", "-o", "ConnectTimeout=30"] + arguments,
            environment: askpassEnvironment(password),
            stdin: stdin,
            timeout: .seconds(300)
        )
    }

    private static func publicKey(_ file: URL) throws -> String {
        let text = try String(contentsOf: file, encoding: .utf8)
        return text.split(separator: " ").prefix(2).joined(separator: " ")
    }
}
