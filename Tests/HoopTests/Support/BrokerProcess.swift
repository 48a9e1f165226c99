import Foundation

/// `hoopctl broker serve` as a real process with its own data dir, trusting one identity provider.
final class BrokerProcess: Sendable {
    let url: String
    let port: Int
    let directory: URL
    let configFile: URL
    private let process: ChildProcess

    var dataDir: URL { directory.appendingPathComponent("data") }
    var caFile: URL { dataDir.appendingPathComponent("tls/ca.pem") }
    var output: String { process.stdout + process.stderr }

    /// Writes a config and starts the broker in `directory` — a fresh scratch directory unless the test prepared
    /// one (e.g. with `data/` on a filesystem of its choosing). `identityYAML` adds keys to the identity provider
    /// (e.g. `web_client_id: hoop-web`); `identityProvidersYAML` adds entries to the identity list (indented as list
    /// items under it, e.g. a `- saml:` provider).
    init(
        issuer: String,
        resourcesYAML: String,
        extraYAML: String = "",
        identityYAML: String = "",
        identityProvidersYAML: String = "",
        port: Int? = nil,
        environment: [String: String] = [:],
        directory: URL? = nil
    ) async throws {
        self.directory = try directory ?? TestEnvironment.scratchDirectory("broker")
        self.port = try port ?? TestEnvironment.freePort()
        url = "https://127.0.0.1:\(self.port)"
        configFile = self.directory.appendingPathComponent("broker.yaml")
        let yaml = """
            listen: 127.0.0.1:\(self.port)
            data_dir: ./data
            admin_groups: [admins]
            identity:
              - issuer: \(issuer)
                audience: hoop
                groups_claim: groups
                jwks_refresh_min_interval: 1s
                \(identityYAML)
            \(identityProvidersYAML)
            resources:
            \(resourcesYAML)
            \(extraYAML)
            """
        try yaml.write(to: configFile, atomically: true, encoding: .utf8)
        process = try await Self.serve(configFile, environment: environment)
    }

    /// A new broker process on `previous`'s directory, config and port — what an operator's restart does, e.g.
    /// after `previous` was killed.
    init(restarting previous: BrokerProcess, environment: [String: String] = [:]) async throws {
        directory = previous.directory
        port = previous.port
        url = previous.url
        configFile = previous.configFile
        process = try await Self.serve(configFile, environment: environment)
    }

    private static func serve(_ configFile: URL, environment: [String: String]) async throws -> ChildProcess {
        let process = try ChildProcess(
            "broker",
            executable: TestEnvironment.hoopctl,
            arguments: ["broker", "serve", "--config", configFile.path],
            environment: environment
        )
        try await process.waitForOutput("broker listening on")
        return process
    }

    /// Runs `body`, then stops the broker gracefully (and anything else `alsoStop` names) whether `body` returned or
    /// threw, so a failing test leaves no broker behind; `defer` cannot wait for an asynchronous stop.
    func stoppingAfter(_ body: () async throws -> Void, alsoStop: () async -> Void = {}) async throws {
        do {
            try await body()
        } catch {
            await stop()
            await alsoStop()
            throw error
        }
        await stop()
        await alsoStop()
    }

    /// Graceful stop (SIGTERM): sessions are closed and sealed before exit.
    func stop() async {
        await process.stop()
    }

    /// SIGKILL: the broker stops mid-whatever, closing nothing; returns its exit status.
    @discardableResult
    func kill() async throws -> Int32 {
        process.signal(SIGKILL)
        return try await process.waitForExit()
    }

    var isRunning: Bool { process.isRunning }

    /// Sends `signal` to the broker alone, as a supervisor does.
    func signal(_ signal: Int32) {
        process.signal(signal)
    }

    /// Waits for the broker to exit and returns its status.
    func waitForExit(timeout: Duration) async throws -> Int32 {
        try await process.waitForExit(timeout: timeout)
    }

    /// Waits until the broker has logged `text`.
    func waitFor(_ text: String, timeout: Duration = .seconds(30)) async throws {
        _ = try await process.waitForOutput(text, timeout: timeout)
    }

    /// Waits until the broker's output (its log) shows `text`, and returns the output so far.
    func waitForOutput(_ text: String, timeout: Duration = .seconds(10)) async throws -> String {
        try await process.waitForOutput(text, timeout: timeout)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
