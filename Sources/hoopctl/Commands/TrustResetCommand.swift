import ArgumentParser
import Foundation
import Local

/// `hoopctl trust reset [BROKER]`: forget a pinned broker certificate, e.g. after the broker was re-initialised.
struct TrustResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Forget a broker's pinned certificate; the next contact trusts it on first use again."
    )

    @Argument(
        help: ArgumentHelp(
            "Broker address, https://HOST:PORT (default: HOOP_BROKER, else \(BrokerEndpoint.defaultAddress)).",
            valueName: "broker"
        )
    )
    var broker: String?

    @Option(name: .long, help: "Output format: text for people, json for scripts and agents.")
    var output: OutputFormat = .text

    func run() async throws {
        let console = Console(format: self.output)
        do throws(LocalError) {
            let environment = ProcessInfo.processInfo.environment
            let endpoint = try BrokerEndpoint.resolve(flag: self.broker, environment: environment)
            let store = KnownBrokers(directory: try ConfigDirectory.resolve(environment: environment))
            let forgotten = try store.forget(endpoint)
            if console.isJSON {
                console.json(Outcome(broker: endpoint.url, forgotBroker: forgotten))
            } else {
                console.line(
                    forgotten
                        ? "Forgot the pinned certificate of \(endpoint.url)."
                        : "No certificate was pinned for \(endpoint.url)."
                )
            }
        } catch {
            throw console.failure(error)
        }
    }

    /// The JSON answer: which broker, and whether a pin was removed.
    private struct Outcome: Encodable {
        var broker: String
        var forgotBroker: Bool

        enum CodingKeys: String, CodingKey {
            case broker
            case forgotBroker = "forgot_broker"
        }
    }
}
