import ArgumentParser
import HoopCore
import Local

/// `hoopctl approvals show ID`.
struct ApprovalsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one request: the exact statement, its SHA-256, who asked, why, and every decision."
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "The request's id.", completion: BrokerCompletions.pendingApprovals)
    var id: Int64

    func run() async throws {
        let console = Console(format: client.output)
        do throws(LocalError) {
            let approval = try await BrokerClient.connect(try client.configuration()).approval(id)
            if console.isJSON {
                console.json(approval)
            } else {
                ApprovalText.describe(approval).forEach(console.line)
            }
        } catch {
            throw console.failure(error)
        }
    }
}
