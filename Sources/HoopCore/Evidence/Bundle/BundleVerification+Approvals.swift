extension BundleVerification {
    /// Every approval spent (`approval.use`) was approved before it, for the same statement: an earlier
    /// `approval.approve` of the same approval carries the same `statement_sha256`. The writer always shows the
    /// approval events a shown use refers to, so a missing one is a break, not a filter.
    func checkApprovals() throws(BundleProblem) {
        var approved: [Int64: String?] = [:]
        for event in approvalEvents {
            let subject = "\(BundleLayout.events) (seq \(event.seq))"
            guard let approval = event.approvalID else {
                throw BundleProblem(subject, "an approval event without an approval id", seq: event.seq)
            }
            let statement = event.details["statement_sha256"]?.stringValue
            switch event.kind {
            case .approvalApprove:
                approved[approval] = statement
            case .approvalWithdraw:
                // A withdrawn request covers nothing: a use after it ran what its requester had given up.
                approved[approval] = nil
            case .approvalUse:
                guard let approvedStatement = approved[approval] else {
                    throw BundleProblem(
                        subject, "approval \(approval) was spent with no earlier approval.approve (ran unapproved)",
                        seq: event.seq)
                }
                guard approvedStatement == statement else {
                    throw BundleProblem(
                        subject,
                        "approval \(approval) was approved for statement \(approvedStatement ?? "none") but spent on "
                            + "\(statement ?? "none") (what ran is not what was approved)", seq: event.seq)
                }
            default:
                break
            }
        }
    }
}
