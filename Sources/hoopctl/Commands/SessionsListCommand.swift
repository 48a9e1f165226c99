import ArgumentParser
import Foundation
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

    @Option(name: .long, help: "Only sessions of this user (subject or email).")
    var user: String?

    @Option(name: .long, help: "Only sessions to this resource.", completion: BrokerCompletions.resources)
    var resource: String?

    @Option(name: .long, help: "Only sessions created at or after this RFC 3339 time.")
    var since: String?

    func run() async throws {
        let console = Console(format: self.client.output)
        do throws(LocalError) {
            var sinceDate: Date?
            if let since {
                guard let parsed = Timestamp.parse(since) else {
                    throw LocalError(.invalidInput, "--since must be an RFC 3339 time, e.g. 2026-11-21T00:00:00Z")
                }
                sinceDate = parsed
            }
            let sessions = try await BrokerClient.connect(try self.client.configuration())
                .sessions(all: self.all, user: self.user, resource: self.resource, since: sinceDate)
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
