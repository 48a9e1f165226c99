import ArgumentParser
import Broker
import Foundation
import HoopCore
import Logging
import MCPGateway

/// `hoopctl broker serve`: the daemon. Runs in the foreground until SIGINT/SIGTERM, for systemd or a terminal.
struct BrokerServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the broker: HTTPS API and tunnels on one port.",
        discussion: """
            On first start it creates its data directory: SQLite store, TLS CA and certificate, audit key. On \
            SIGTERM or SIGINT it stops taking new work and gives open tunnel connections shutdown_grace (default \
            10s) to finish, logging what it waits for, then closes them; a second signal closes them at once.
            """
    )

    @OptionGroup var options: BrokerConfigOption

    @Option(name: .long, help: "Log format: text or json.")
    var logFormat: LogFormat = .text

    func run() async throws {
        let config = try loadBrokerConfig(options.config, checkSecrets: true)
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        logFormat.bootstrap(level: level)
        let logger = Logger(label: "hoopctl.broker")
        let dataDir = config.dataDir.path
        do {
            let mcp = MCPHTTPSessions(logger: Logger(label: "hoopctl.broker.mcp"))
            try await BrokerServer.run(config: config, logger: logger, routes: [MCPHTTPRoute(sessions: mcp)]) {
                port in
                let line = "broker listening on https://\(config.listen.host):\(port) (data dir \(dataDir))\n"
                StandardStream.output.write(line)
            }
        } catch {
            Console.diagnostic("hoopctl: broker stopped: \(error)\n")
            throw ExitCode(ExitStatus.error.rawValue)
        }
    }
}

/// Loads the config, reporting a `ConfigError` with its precise path and exit status 1: the command line was
/// right, the file is not, so no usage text. Only `serve` needs the targets' credentials to be readable.
func loadBrokerConfig(_ path: String, checkSecrets: Bool = false) throws -> BrokerConfig {
    do {
        return try ConfigLoader.load(file: URL(fileURLWithPath: path), checkSecrets: checkSecrets)
    } catch {
        throw Console.failure(.error, "\(error.description) (in \(path))")
    }
}
