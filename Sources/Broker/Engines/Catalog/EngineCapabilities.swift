/// What an engine understands of the traffic it relays. The config loader refuses a control on a resource whose
/// engine cannot enforce it, so a configured rule is never silently inert.
package struct EngineCapabilities: OptionSet, Sendable {
    package let rawValue: Int

    package init(rawValue: Int) {
        self.rawValue = rawValue
    }

    /// Local clients log in to the forwarded port with a per-session login the broker issues.
    package static let clientLogin = EngineCapabilities(rawValue: 1 << 0)
    /// The engine reads what the target sends as values, so `masking:` detectors apply.
    package static let masking = EngineCapabilities(rawValue: 1 << 1)
    /// The engine knows which column a value came from, so `masking.columns` rules apply.
    package static let columnMasking = EngineCapabilities(rawValue: 1 << 2)
}

/// What an engine's guardrails judge, which decides the `match:` keys a rule may use.
package enum GuardrailSubject: String, Sendable {
    /// SQL statements: classes, tables, functions and regexes.
    case statements
    /// Command lines: command classes and command globs.
    case commands
    /// MCP tool calls: tool-name globs and argument conditions.
    case toolCalls
    /// HTTP requests: method, path templates, query and body conditions.
    case requests
    /// Kubernetes API requests: what `requests` reads, verbs, resources and namespaces, and exec commands.
    case kubernetes

    /// Why `match` cannot apply to this subject, or nil when it can.
    func problem(with match: GuardrailMatch) -> (key: String, message: String)? {
        let readsStatements =
            !match.classes.isEmpty || !match.tables.isEmpty || !match.functions.isEmpty || !match.patterns.isEmpty
        let readsCommands = !match.commands.isEmpty || !match.commandClasses.isEmpty
        let readsTools = !match.tools.isEmpty || !match.arguments.isEmpty
        let readsRequests = match.readsRequests && !match.readsKubernetes
        switch self {
        case .requests where readsCommands || match.readsKubernetes:
            return ("match.verb", "verb, resource, namespace and command rules need a kubernetes resource")
        case .requests where readsStatements || readsTools:
            return ("match", "this engine judges HTTP requests: use { method: ..., path: ..., query: ..., body: ... }")
        case .kubernetes where readsStatements || readsTools:
            return (
                "match",
                "this engine judges Kubernetes requests: use verb, resource, namespace, method, path, command"
            )
        case .kubernetes:
            return nil
        case _ where self != .requests && readsRequests:
            return ("match.method", "method, path, query and body rules need an http or kubernetes resource")
        case _ where match.readsKubernetes:
            return ("match.verb", "verb, resource and namespace rules need a kubernetes resource")
        case .toolCalls where readsStatements || readsCommands:
            return ("match", "this engine judges MCP tool calls: use { tool: [...], arguments: {...} }")
        case .statements where readsTools, .commands where readsTools:
            return ("match.tool", "tool and arguments rules need an mcp resource")
        case .statements where readsCommands:
            return ("match.command", "this engine judges statements; command rules need an engine that runs commands")
        case .commands where readsStatements:
            return ("match", "this engine judges commands: use command classes or { command: [...] }")
        default:
            return nil
        }
    }
}
