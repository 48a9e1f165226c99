import ArgumentParser
import HoopCore
import Local

/// `hoopctl whoami`: the identity the broker maps the current token to.
struct WhoAmICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show who the broker thinks you are."
    )

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let console = Console(format: self.client.output)
        do throws(LocalError) {
            let principal = try await BrokerClient.connect(try self.client.configuration()).whoami()
            if console.isJSON {
                console.json(principal)
                return
            }
            console.line("subject: \(principal.subject)")
            if let email = principal.email {
                console.line("email:   \(email)")
            }
            console.line("issuer:  \(principal.issuer)")
            console.line("groups:  \(principal.groups.isEmpty ? "(none)" : principal.groups.joined(separator: ", "))")
        } catch {
            throw console.failure(error)
        }
    }
}
