import ArgumentParser
import HoopCore
import Local

/// `hoopctl approvals [list] [--status S | --all]`.
struct ApprovalsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List pending requests you made or may decide (--all for every status)."
    )

    @OptionGroup var client: ClientOptions

    @Option(name: .long, help: "Only requests in this status.")
    var status: StatusFilter = .pending

    @Flag(name: .long, help: "Requests in every status.")
    var all = false

    enum StatusFilter: String, CaseIterable, ExpressibleByArgument {
        case pending, approved, denied, expired, used, withdrawn
    }

    func run() async throws {
        let console = Console(format: client.output)
        do throws(LocalError) {
            let broker = try await BrokerClient.connect(try client.configuration())
            let list = try await broker.approvals(status: all ? nil : ApprovalStatus(rawValue: status.rawValue))
            if console.isJSON {
                console.json(list)
                return
            }
            var table = TextTable("ID", "STATUS", "RESOURCE", "REQUESTER", "APPROVERS", "WHAT")
            for approval in list {
                table.add(
                    String(approval.id),
                    approval.status.rawValue,
                    approval.resource,
                    approval.requester,
                    "\(approval.decisions.filter(\.approve).count)/\(approval.minApprovals) "
                        + approval.approverGroups.joined(separator: ","),
                    ApprovalText.subject(approval, limit: 60)
                )
            }
            table.lines.forEach(console.line)
        } catch {
            throw console.failure(error)
        }
    }
}
