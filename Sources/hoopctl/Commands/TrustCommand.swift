import ArgumentParser

/// `hoopctl trust`: manage the broker certificates pinned on first use.
struct TrustCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Manage pinned broker certificates.",
        subcommands: [TrustResetCommand.self]
    )
}
