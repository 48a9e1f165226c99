import ArgumentParser

/// `hoopctl broker ...`: run and inspect the broker daemon.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Run and inspect the broker daemon.",
        subcommands: [
            BrokerServeCommand.self,
            BrokerInitCommand.self,
            BrokerPubkeyCommand.self,
            BrokerRotateKeyCommand.self,
            BrokerFingerprintCommand.self,
            BrokerAuditCommand.self,
            BrokerStatusCommand.self,
        ]
    )
}

/// The `--config` option every broker subcommand takes.
struct BrokerConfigOption: ParsableArguments {
    @Option(
        name: .long, help: "Path of the broker's YAML configuration.", completion: .file(extensions: ["yaml", "yml"]))
    var config: String = "broker.yaml"
}
