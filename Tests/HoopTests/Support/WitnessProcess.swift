import Foundation
import Synchronization

/// `hoopctl witness serve` as a real process with its own data dir and key, on a port chosen before it starts so
/// a broker can be configured with it first (the broker retries a witness that is not up yet).
final class WitnessProcess: Sendable {
    static let name = "witness.test/w1"

    let port: Int
    let directory: URL
    /// The cosigning key the broker and auditors pin, as `hoopctl witness init` printed it.
    let vkey: String
    private let process: Mutex<ChildProcess?>

    var url: String { "http://127.0.0.1:\(port)" }

    /// Creates the witness's identity (`hoopctl witness init`); `start(log:)` runs it.
    init() async throws {
        directory = try TestEnvironment.scratchDirectory("witness")
        port = try TestEnvironment.freePort()
        let initialized = try await ChildProcess.run(
            TestEnvironment.hoopctl, ["witness", "init", "--data-dir", directory.path, "--name", Self.name])
        guard initialized.status == 0 else { throw PeerError("witness init failed: \(initialized.stderr)") }
        vkey = initialized.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        process = Mutex(nil)
    }

    /// Serves the log whose checkpoint verifier key is `log` (`hoopctl broker pubkey --vkey`).
    func start(log: String) async throws {
        let child = try ChildProcess(
            "witness", executable: TestEnvironment.hoopctl,
            arguments: [
                "witness", "serve", "--data-dir", directory.path, "--listen", "127.0.0.1:\(port)", "--log", log,
            ])
        try await child.waitForOutput("listening on")
        process.withLock { $0 = child }
    }

    func stop() async {
        let child = process.withLock { current in
            defer { current = nil }
            return current
        }
        await child?.stop()
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The broker config lines that send checkpoints here, and to a file witness at `file`.
    func brokerYAML(file: URL, failClosed: Bool = false, grace: String = "2s") -> String {
        """
        audit:
          log_origin: audit.test/e2e
          checkpoint_interval: 1s
          witnesses:
            - url: \(url)
              key: \(vkey)
            - file: \(file.path)
          witness_quorum: 1
          witness_grace: \(grace)
          witness_fail_closed: \(failClosed)
        """
    }
}
