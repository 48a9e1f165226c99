import ArgumentParser
import HoopCore
import Local

/// `hoopctl logout`: forget the cached login (and, if asked, the pinned broker certificate).
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Forget the cached login for the broker."
    )

    @OptionGroup var client: ClientOptions

    @Flag(
        name: .customLong("forget-broker"),
        help: "Also forget the broker's pinned certificate, so the next contact trusts it on first use again."
    )
    var forgetBroker = false

    func run() async throws {
        let console = Console(format: self.client.output)
        do throws(LocalError) {
            let configuration = try self.client.configuration()
            let result = try Logout.perform(configuration, forgetBroker: self.forgetBroker)
            if console.isJSON {
                console.json(result)
                return
            }
            console.line(
                result.removedToken ? "Logged out of \(result.broker)." : "No cached login for \(result.broker)."
            )
            if result.forgotBroker {
                console.line("Forgot the pinned certificate of \(result.broker).")
            }
            if configuration.environmentToken != nil {
                console.note("hoopctl: HOOP_TOKEN is still set and will keep being used; unset it to log out fully")
            }
        } catch {
            throw console.failure(error)
        }
    }
}
