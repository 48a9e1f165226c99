import ArgumentParser
import HoopCore
import Local

/// `hoopctl sessions [list] [--all]`.
struct SessionsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List your sessions, or everyone's with --all."
    )

    @OptionGroup var client: ClientOptions

    @Flag(name: .long, help: "List every user's sessions (needs the broker's permission).")
    var all = false

    func run() async throws {
        let console = Console(format: self.client.output)
        do throws(LocalError) {
            let sessions = try await BrokerClient.connect(try self.client.configuration()).sessions(all: self.all)
            if console.isJSON {
                console.json(sessions)
                return
            }
            var table = TextTable("ID", "RESOURCE", "STATUS", "USER", "EXPIRES")
            for session in sessions {
                table.add(
                    session.id,
                    session.resource,
                    session.status.rawValue,
                    session.email ?? session.subject,
                    Timestamp.format(session.expiresAt)
                )
            }
            table.lines.forEach(console.line)
        } catch {
            throw console.failure(error)
        }
    }
}
