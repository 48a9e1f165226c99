import ArgumentParser
import Broker
import Foundation
import HoopCore
import Logging
import Witness

/// `hoopctl witness serve`: the witness daemon (C2SP tlog-witness `POST /add-checkpoint`). Runs in the foreground
/// until SIGINT/SIGTERM, for systemd or a terminal.
struct WitnessServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the witness: cosign each checkpoint of the given logs that extends the last one it cosigned.",
        discussion: """
            It speaks plain HTTP: requests and answers are signed, so put a TLS proxy in front only when the \
            traffic must be private. Refused checkpoints that a log did sign are kept in its store as evidence.
            """
    )

    @OptionGroup var options: WitnessDataDirOption

    @Option(
        name: .long, help: "Address to listen on, host:port ([v6]:port); port 0 picks a free one.",
        transform: WitnessServeCommand.listenAddress)
    var listen: HostPort

    @Option(
        name: .customLong("log"),
        help: "A log's checkpoint verifier key, as `hoopctl broker pubkey --vkey` prints it; repeat for more logs.",
        transform: WitnessServeCommand.logKey)
    var logs: [NoteVerifierKey] = []

    @Option(name: .long, help: "Log format: text or json.")
    var logFormat: LogFormat = .text

    func validate() throws {
        guard !logs.isEmpty else { throw ValidationError("give at least one --log: a witness with no log is idle") }
        do {
            _ = try TrustedLogs(logs)
        } catch {
            throw ValidationError("--log: \(error)")
        }
    }

    func run() async throws {
        // The store holds what the witness cosigned; it is for the witness's user only.
        umask(0o077)
        logFormat.bootstrap(level: .info)
        let logger = Logger(label: "hoopctl.witness")
        let dataDir = WitnessDataDir(URL(fileURLWithPath: options.dataDir))
        let address = listen
        do {
            let identity = try dataDir.loadIdentity()
            let service = WitnessService(
                identity: identity, logs: try TrustedLogs(logs), store: try WitnessStore(path: dataDir.storeFile),
                logger: logger)
            let origins = service.logs.origins.joined(separator: ", ")
            try await WitnessServer.run(service: service, host: address.host, port: address.port, logger: logger) {
                port in
                var bound = address
                bound.port = port
                let line = "witness \(identity.name) listening on http://\(bound) for \(origins)\n"
                StandardStream.output.write(line)
            }
        } catch {
            Console.diagnostic("hoopctl: witness stopped: \(error)\n")
            throw ExitCode(ExitStatus.error.rawValue)
        }
    }

    private static func listenAddress(_ text: String) throws -> HostPort {
        do throws(ConfigError) {
            return try ConfigLoader.hostPort(text, path: "--listen")
        } catch {
            throw ValidationError(error.message)
        }
    }

    private static func logKey(_ text: String) throws -> NoteVerifierKey {
        do throws(EvidenceFormatError) {
            return try NoteVerifierKey(text: text)
        } catch {
            throw ValidationError(error.reason)
        }
    }
}
