/// How the broker tells a client that does not wait (`no-wait`) that what it sent needs approval, in protocols
/// whose only channel back is text (an SSH command's stderr): one spelling, written by the broker and read back by
/// clients that hand the request id to agents as data.
package enum ApprovalNeededText {
    private static let lead = "needs approval "

    /// The message for something held by request `id`, with how an approver decides it.
    package static func message(subject: String, id: Int64, approveCommand: String) -> String {
        "the \(subject) \(lead)\(id); an approver runs `\(approveCommand)`"
    }

    /// The request id of such a message, or nil when `text` carries none.
    package static func approvalID(in text: String) -> Int64? {
        guard let start = text.firstRange(of: lead) else { return nil }
        return Int64(text[start.upperBound...].prefix { $0.isNumber })
    }
}
