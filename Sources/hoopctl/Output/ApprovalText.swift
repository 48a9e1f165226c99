import HoopCore

/// How approval requests read on a terminal.
enum ApprovalText {
    /// The statement (shortened to `limit` characters, on one line) or the session it is about.
    static func subject(_ approval: ApprovalInfo, limit: Int) -> String {
        guard approval.kind == .statement, let statement = approval.statement else {
            return "session on \(approval.resource)"
        }
        let line = statement.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count <= limit ? line : String(line.prefix(limit - 1)) + "…"
    }

    static func describe(_ approval: ApprovalInfo) -> [String] {
        var lines = [
            "Approval \(approval.id): \(approval.status.rawValue)",
            "  kind:       \(approval.kind.rawValue)",
            "  resource:   \(approval.resource)",
            "  requester:  \(approval.requester)",
            "  reason:     \(approval.reason ?? "(none given)")",
            "  rule:       \(approval.rule)",
            "  approvers:  \(approval.minApprovals) from \(approval.approverGroups.joined(separator: ", "))",
            "  requested:  \(Timestamp.format(approval.createdAt))",
            "  expires:    \(Timestamp.format(approval.expiresAt))",
        ]
        if let session = approval.session { lines.append("  session:    \(session)") }
        if let statement = approval.statement {
            lines.append("  sha256:     \(approval.statementSHA256 ?? "")")
            lines.append("  statement:")
            lines += statement.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }
        }
        for decision in approval.decisions {
            let verb = decision.approve ? "approved" : "denied"
            let reason = decision.reason.map { ": \($0)" } ?? ""
            lines.append("  \(verb) by \(decision.approver) at \(Timestamp.format(decision.at))\(reason)")
        }
        if approval.status == .pending {
            lines.append(
                "Approve with `\(approval.approveCommand)`, or `hoopctl approvals deny \(approval.id) --reason ...`.")
        }
        return lines
    }
}
