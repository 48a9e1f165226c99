/// How a guardrail block reads wherever it surfaces (a PostgreSQL or MySQL error, an SSH refusal), written by the
/// broker and read back by clients that give it to agents as data: one spelling, so the rule's name survives the
/// trip through any protocol's error text.
package enum GuardrailBlockText {
    private static let lead = "blocked by guardrail '"

    /// The message for a statement or command that `rule` blocked because of `reason`.
    package static func message(rule: String, reason: String) -> String {
        "\(lead)\(rule)': \(reason)"
    }

    /// The rule and reason of a block message, or nil when `message` is not one (a server's own error, say).
    package static func parse(_ message: String) -> (rule: String, reason: String)? {
        guard let start = message.firstRange(of: lead) else { return nil }
        let rest = message[start.upperBound...]
        guard let close = rest.firstRange(of: "': ") else { return nil }
        return (String(rest[..<close.lowerBound]), String(rest[close.upperBound...]))
    }
}
