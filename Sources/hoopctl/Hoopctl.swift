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
            Exit codes: 0 ok, 1 error, 2 usage, 3 denied or blocked, 4 approval pending (--no-wait), \
            5 broker unreachable.
            Environment: HOOP_BROKER (broker URL), HOOP_TOKEN (a token to use as is), HOOP_CA (broker CA file).
            """,
        version: BuildInfo.version,
        subcommands: [
            LoginCommand.self,
            LogoutCommand.self,
            WhoAmICommand.self,
            ResourcesCommand.self,
            ConnectCommand.self,
            ExecCommand.self,
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
        await main(nil)
    }
}
