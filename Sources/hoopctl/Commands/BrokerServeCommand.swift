import ArgumentParser
import Broker
import Foundation
import HoopCore
import Logging

/// `hoopctl broker serve`: the daemon. Runs in the foreground until SIGINT/SIGTERM, for systemd or a terminal.
struct BrokerServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the broker: HTTPS API and tunnels on one port.",
        discussion: "On first start it creates its data directory: SQLite store, TLS CA and certificate, audit key."
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
            try await BrokerServer.run(config: config, logger: logger) { port in
                let line = "broker listening on https://\(config.listen.host):\(port) (data dir \(dataDir))\n"
                StandardStream.output.write(line)
            }
        } catch {
            Console.diagnostic("hoopctl: broker stopped: \(error)\n")
            throw ExitCode(ExitStatus.error.rawValue)
        }
    }
}

/// Loads the config, turning a `ConfigError` into a usage-style failure with its precise path. Only `serve` needs
/// the targets' credentials to be readable.
func loadBrokerConfig(_ path: String, checkSecrets: Bool = false) throws -> BrokerConfig {
    do {
        return try ConfigLoader.load(file: URL(fileURLWithPath: path), checkSecrets: checkSecrets)
    } catch {
        throw ValidationError("\(error.description)")
    }
}
