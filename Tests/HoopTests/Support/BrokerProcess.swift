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

    init(
        issuer: String,
        resourcesYAML: String,
        extraYAML: String = "",
        port: Int? = nil,
        environment: [String: String] = [:]
    ) async throws {
        directory = try TestEnvironment.scratchDirectory("broker")
        self.port = try port ?? TestEnvironment.freePort()
        url = "https://127.0.0.1:\(self.port)"
        configFile = directory.appendingPathComponent("broker.yaml")
        let yaml = """
            listen: 127.0.0.1:\(self.port)
            data_dir: ./data
            admin_groups: [admins]
            identity:
              - issuer: \(issuer)
                audience: hoop
                groups_claim: groups
                jwks_refresh_min_interval: 1s
            resources:
            \(resourcesYAML)
            \(extraYAML)
            """
        try yaml.write(to: configFile, atomically: true, encoding: .utf8)
        process = try ChildProcess(
            "broker",
            executable: TestEnvironment.hoopctl,
            arguments: ["broker", "serve", "--config", configFile.path],
            environment: environment
        )
        try await process.waitForOutput("broker listening on")
    }

    /// Graceful stop (SIGTERM): sessions are closed and sealed before exit.
    func stop() async {
        await process.stop()
    }

    var isRunning: Bool { process.isRunning }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
