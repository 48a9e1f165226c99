import ArgumentParser

/// `hoopctl approvals`: list, show, approve, deny or cancel approval requests.
struct ApprovalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "List, inspect, approve, deny or cancel approval requests.",
        discussion: """
            Statements a guardrail holds and sessions on resources with session_approval wait for members of the \
            approver groups. Approvers cannot decide their own requests; an approval covers exactly the statement \
            shown (its SHA-256) and is used once.
            """,
        subcommands: [
            ApprovalsListCommand.self, ApprovalsShowCommand.self, ApprovalsApproveCommand.self,
            ApprovalsDenyCommand.self, ApprovalsCancelCommand.self,
        ],
        defaultSubcommand: ApprovalsListCommand.self
    )
}
