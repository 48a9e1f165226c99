import ArgumentParser
import Foundation
import Local

/// Options every client command shares: which broker, how to trust it, which token, which output.
struct ClientOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Broker address, https://HOST:PORT (default: HOOP_BROKER, else \(BrokerEndpoint.defaultAddress)).",
            valueName: "url"
        )
    )
    var broker: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "PEM file of the CA that signs the broker's certificate (default: HOOP_CA, else trust the broker on "
                + "first use and pin its certificate).",
            valueName: "file"
        ),
        completion: .file()
    )
    var ca: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).",
            valueName: "file"
        ),
        completion: .file()
    )
    var tokenFile: String?

    @Option(name: .long, help: "Output format: text for people, json for scripts and agents.")
    var output: OutputFormat = .text

    /// The library configuration these options and the process environment describe.
    func configuration() throws(LocalError) -> ClientConfiguration {
        try ClientConfiguration(
            broker: self.broker,
            caFile: self.ca,
            tokenFile: self.tokenFile,
            environment: ProcessInfo.processInfo.environment
        )
    }
}
