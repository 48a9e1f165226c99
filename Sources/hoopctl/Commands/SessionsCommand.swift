import ArgumentParser
import HoopCore

/// `hoopctl sessions`: list sessions (the default) or revoke one.
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List, inspect or revoke just-in-time sessions.",
        subcommands: [SessionsListCommand.self, SessionsShowCommand.self, SessionsRevokeCommand.self],
        defaultSubcommand: SessionsListCommand.self
    )
}
