import ArgumentParser

/// `--output text|json` for commands that print a few facts rather than a table (the broker subcommands): text for
/// people, one JSON document for scripts. CSV, which only tables have, is refused by name.
struct PlainOutputOption: ParsableArguments {
    @Option(name: .long, help: "Output format: text for people, json for scripts and agents.")
    var output: OutputFormat = .text

    func validate() throws {
        guard output != .csv else { throw ValidationError("--output csv is for tables; use text or json here") }
    }

    var console: Console { Console(format: output) }
}
