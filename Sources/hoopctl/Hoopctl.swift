import ArgumentParser
import Foundation
import HoopCore

/// `hoopctl`: the client for humans, agents and CI, and (as `hoopctl broker serve`) the broker itself.
@main
struct Hoopctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hoopctl",
        abstract: "Just-in-time, audited access to databases, hosts and internal APIs through a broker.",
        discussion: """
            Environment: HOOP_BROKER (broker URL), HOOP_TOKEN (a token to use as is), HOOP_CA (broker CA file).

            Exit codes (every command; `exec` on an SSH resource exits with the remote command's own status once \
            it ran):
            """ + "\n" + ExitStatus.table.map { "  " + $0 }.joined(separator: "\n"),
        version: BuildInfo.version,
        subcommands: [
            LoginCommand.self,
            LogoutCommand.self,
            WhoAmICommand.self,
            ResourcesCommand.self,
            ConnectCommand.self,
            ExecCommand.self,
            MCPCommand.self,
            SessionsCommand.self,
            ApprovalsCommand.self,
            ReplayCommand.self,
            AuditCommand.self,
            TrustCommand.self,
            BrokerCommand.self,
            WitnessCommand.self,
        ]
    )

    /// Starts from an empty signal mask: a parent that blocks SIGTERM or SIGINT (some supervisors and test runners
    /// do, and children inherit it) would otherwise make the broker deaf to shutdown and `connect` deaf to Ctrl-C.
    /// A closed pipe becomes a write error each writer handles (`Console.output` ends quietly) instead of a signal.
    static func main() async {
        var empty = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, nil)
        StandardStream.ignoreBrokenPipes()
        do {
            var command = try await asyncParseAsRoot(nil)
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withDocumentedStatus: error)
        }
    }

    /// Exits as ArgumentParser would (help, version, the error and usage on stderr) but with the documented code:
    /// ArgumentParser's own code for a bad command line is 64 (EX_USAGE), the table says 2.
    private static func exit(withDocumentedStatus error: any Error) -> Never {
        guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
        var lines = fullMessage(for: error).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let typo = mistypedSubcommand(in: Array(CommandLine.arguments.dropFirst())), !lines.isEmpty {
            lines[0] += ". Did you mean '\(typo)'?"
        }
        Console.diagnostic(lines.joined(separator: "\n") + "\n")
        Foundation.exit(ExitStatus.usage.rawValue)
    }

    /// The subcommand a mistyped word most likely meant (`hoopctl sesions` → `sessions`): ArgumentParser suggests
    /// options but not subcommands. Follows the words that name subcommands and judges the first one that does not.
    static func mistypedSubcommand(in arguments: [String]) -> String? {
        var command: any ParsableCommand.Type = Hoopctl.self
        for word in arguments where !word.hasPrefix("-") {
            var named: [String: any ParsableCommand.Type] = [:]
            for subcommand in command.configuration.subcommands {
                if let name = subcommand.configuration.commandName { named[name] = subcommand }
            }
            guard !named.isEmpty else { return nil }
            guard let next = named[word] else {
                return Spelling.closest(to: word, among: named.keys)
            }
            command = next
        }
        return nil
    }
}
