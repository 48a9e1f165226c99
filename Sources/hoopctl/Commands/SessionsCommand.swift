import ArgumentParser
import HoopCore

/// `hoopctl sessions`: list sessions (the default) or revoke one.
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List or revoke just-in-time sessions.",
        subcommands: [SessionsListCommand.self, SessionsRevokeCommand.self],
        defaultSubcommand: SessionsListCommand.self
    )
}
