import ArgumentParser
import HoopCore
import Local

/// `hoopctl sessions revoke ID`.
struct SessionsRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a session; the broker closes its tunnels at once."
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "The session's id, as `hoopctl sessions` lists it.", completion: BrokerCompletions.sessions)
    var id: String

    func run() async throws {
        let console = Console(format: self.client.output)
        do throws(LocalError) {
            let session = try await BrokerClient.connect(try self.client.configuration()).revokeSession(self.id)
            if console.isJSON {
                console.json(session)
            } else {
                console.line("Session \(session.id) to \(session.resource) is now \(session.status.rawValue).")
            }
        } catch {
            throw console.failure(error)
        }
    }
}
