import ArgumentParser
import HoopCore
import Local

/// `hoopctl approvals approve ID [--reason]`.
struct ApprovalsApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a request (you must be in one of its approver groups and not its requester)."
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "The request's id.", completion: BrokerCompletions.pendingApprovals)
    var id: Int64

    @Option(name: .long, help: "Why you approve; recorded in the audit trail.")
    var reason: String?

    func run() async throws {
        try await ApprovalDecision.submit(id, approve: true, reason: reason, client: client)
    }
}

/// `hoopctl approvals deny ID --reason`.
struct ApprovalsDenyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deny",
        abstract: "Deny a request, saying why."
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "The request's id.", completion: BrokerCompletions.pendingApprovals)
    var id: Int64

    @Option(name: .long, help: "Why you deny; the requester sees it and the audit trail keeps it.")
    var reason: String

    func run() async throws {
        try await ApprovalDecision.submit(id, approve: false, reason: reason, client: client)
    }
}

/// The shared body of approve and deny.
private enum ApprovalDecision {
    static func submit(_ id: Int64, approve: Bool, reason: String?, client: ClientOptions) async throws {
        let console = Console(format: client.output)
        do throws(LocalError) {
            let broker = try await BrokerClient.connect(try client.configuration())
            let decided = try await broker.decide(id, approve: approve, reason: reason)
            if console.isJSON {
                console.json(decided)
            } else {
                let remaining = decided.minApprovals - decided.decisions.filter(\.approve).count
                let note = decided.status == .pending ? " (\(remaining) more approval(s) needed)" : ""
                console.line("Approval \(decided.id) is now \(decided.status.rawValue)\(note).")
            }
        } catch {
            throw console.failure(error)
        }
    }
}
