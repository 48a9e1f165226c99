import MCP

/// Judges MCP tool calls by the resource's guardrails (tool-name globs and argument conditions) and its
/// `allow_tools`, and says which tools an agent is shown at all: a tool blocked whatever its arguments is left out
/// of `tools/list`, so an agent is not invited to call it. Deny wins: the strictest verdict of every matching rule.
struct MCPToolJudge: Sendable {
    let rules: [GuardrailRule]
    let allowTools: [String]?

    func judge(tool: String, arguments: [String: Value]) -> GuardrailJudgement {
        var verdict = GuardrailJudgement.allow
        if let allowTools, !allowTools.contains(where: { NamePattern.glob($0, tool) }) {
            return .block(rule: "allow_tools", reason: "tool '\(tool)' is not among this resource's allow_tools")
        }
        for rule in rules where rule.matches(tool: tool, arguments: arguments) {
            let conditions = rule.match.arguments.map(\.description).joined(separator: ", ")
            let reason = conditions.isEmpty ? "tool '\(tool)'" : "tool '\(tool)' with \(conditions)"
            verdict = .stricter(verdict, rule.judgement(reason))
        }
        return verdict
    }

    /// Whether agents see `tool` in `tools/list`: not when every call to it would be blocked.
    func listed(_ tool: String) -> Bool {
        if let allowTools, !allowTools.contains(where: { NamePattern.glob($0, tool) }) { return false }
        return !rules.contains { rule in
            rule.action == .block && rule.match.arguments.isEmpty && rule.matches(tool: tool, arguments: [:])
        }
    }
}

extension GuardrailRule {
    /// An MCP rule matches when its tool globs (if any) match the name and all its argument conditions hold.
    func matches(tool: String, arguments: [String: Value]) -> Bool {
        guard match.tools.isEmpty || match.tools.contains(where: { NamePattern.glob($0, tool) }) else { return false }
        return match.arguments.allSatisfy { $0.holds(in: arguments) }
    }
}
