import ArgumentParser

/// `hoopctl witness ...`: run a C2SP tlog-witness, the independent party that cosigns a log's checkpoints only
/// when each extends the last one it saw.
struct WitnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness",
        abstract: "Run a transparency-log witness that cosigns the broker's audit checkpoints.",
        subcommands: [
            WitnessInitCommand.self,
            WitnessVkeyCommand.self,
            WitnessServeCommand.self,
        ]
    )
}

/// The `--data-dir` option every witness subcommand takes.
struct WitnessDataDirOption: ParsableArguments {
    @Option(name: .long, help: "The witness's directory: its key, its name and its store.")
    var dataDir: String
}
