import ArgumentParser
import HoopCore
import Local

/// `hoopctl sessions show ID`.
struct SessionsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one session: who, what, why, when, and its traffic."
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "The session's id, as `hoopctl sessions` lists it.", completion: BrokerCompletions.sessions)
    var id: String

    func run() async throws {
        let console = Console(format: client.output)
        do throws(LocalError) {
            let session = try await BrokerClient.connect(try client.configuration()).session(id)
            if console.isJSON {
                console.json(session)
                return
            }
            for line in [
                "Session \(session.id): \(session.status.rawValue)",
                "  resource:     \(session.resource) (\(session.resourceType))",
                "  user:         \(session.email ?? session.subject)",
                "  reason:       \(session.reason ?? "(none given)")",
                "  created:      \(Timestamp.format(session.createdAt))",
                "  expires:      \(Timestamp.format(session.expiresAt))",
                "  ended:        \(session.endedAt.map(Timestamp.format) ?? "-")",
                "  connections:  \(session.connections)",
                "  bytes:        \(session.bytesUp) up, \(session.bytesDown) down",
                "Replay it with `hoopctl replay \(session.id)`.",
            ] {
                console.line(line)
            }
        } catch {
            throw console.failure(error)
        }
    }
}
