import ArgumentParser
import HoopCore
import Local

/// `hoopctl approvals cancel ID`: the requester gives up a request.
struct ApprovalsCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Withdraw your own request: approvers are told, and it can never be used.",
        discussion: """
            A statement still waiting for it is refused and never runs. A request that is already closed (denied, \
            expired, used or withdrawn) is shown as it is.
            """
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "The request's id.", completion: BrokerCompletions.pendingApprovals)
    var id: Int64

    func run() async throws {
        let console = Console(format: client.output)
        do throws(LocalError) {
            let approval = try await BrokerClient.connect(try client.configuration()).cancelApproval(id)
            if console.isJSON {
                console.json(approval)
            } else {
                console.line("Approval \(approval.id) is now \(approval.status.rawValue).")
            }
        } catch {
            throw console.failure(error)
        }
    }
}
