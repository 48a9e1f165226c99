import SQLAnalysis
import Yams

extension ConfigLoader {
    /// Reads a resource's `guardrails:` list. Every statement class, glob and pattern is checked here, so a typo
    /// in a rule stops the broker instead of silently never matching.
    static func guardrails(_ node: inout ConfigNode, engine: any EngineDescriptor) throws(ConfigError)
        -> [GuardrailRule]
    {
        guard let items = try node.mappings("guardrails"), !items.isEmpty else { return [] }
        guard let subject = engine.guardrails else {
            throw ConfigError(
                path: "\(node.path).guardrails",
                message: "\(engine.type) resources carry no statements the broker can judge; "
                    + "guardrails need a protocol engine such as postgres"
            )
        }
        var rules: [GuardrailRule] = []
        for (index, var item) in items.enumerated() {
            let rule = try guardrail(&item, index: index, subject: subject)
            if let problem = subject.problem(with: rule.match) {
                throw ConfigError(path: "\(item.path).\(problem.key)", message: problem.message)
            }
            rules.append(rule)
        }
        return rules
    }

    private static func guardrail(_ node: inout ConfigNode, index: Int, subject: GuardrailSubject)
        throws(ConfigError) -> GuardrailRule
    {
        let name = try node.string("name") ?? "guardrails[\(index)]"
        guard let (matchNode, matchPath) = node.value("match") else {
            throw ConfigError(path: "\(node.path).match", message: "is required: statement classes, or a mapping")
        }
        let match = try guardrailMatch(matchNode, path: matchPath, subject: subject)
        let actionText = try node.requiredString("action")
        let action: GuardrailAction
        switch actionText {
        case "block":
            action = .block
            if try node.stringList("approvers") != nil {
                throw ConfigError(path: "\(node.path).approvers", message: "only require_approval takes approvers")
            }
        case "require_approval":
            action = .requireApproval(try approvalRequirement(&node, keepUnknown: true))
        default:
            throw ConfigError(
                path: "\(node.path).action", message: "expected block or require_approval, got '\(actionText)'")
        }
        try node.rejectUnknownKeys()
        return GuardrailRule(name: name, match: match, action: action)
    }

    private static func guardrailMatch(_ value: Node, path: String, subject: GuardrailSubject) throws(ConfigError)
        -> GuardrailMatch
    {
        var match = GuardrailMatch()
        if value.sequence != nil {
            var holder = try ConfigNode(Node.mapping(["classes": value]), path: String(path.dropLast(".match".count)))
            try readClasses(&holder, path: path, subject: subject, into: &match)
            return match
        }
        var node = try ConfigNode(value, path: path)
        try readClasses(&node, path: "\(path).classes", subject: subject, into: &match)
        match.tables = try (node.stringList("tables") ?? []).map(NamePattern.init)
        match.functions = try (node.stringList("functions") ?? []).map(NamePattern.init)
        match.commands = try node.stringOrList("command") ?? []
        match.tools = try node.stringOrList("tool") ?? []
        match.arguments = try (node.textMapping("arguments") ?? []).map {
            ToolArgumentCondition(path: $0.key, pattern: $0.value)
        }
        try readRequestConditions(&node, path: path, into: &match)
        for source in try node.stringOrList("regex") ?? [] {
            do {
                match.patterns.append(try GuardrailPattern(source))
            } catch {
                throw ConfigError(path: "\(path).regex", message: "'\(source)' is not a valid pattern: \(error)")
            }
        }
        try node.rejectUnknownKeys()
        guard
            !match.classes.isEmpty || !match.tables.isEmpty || !match.functions.isEmpty || !match.patterns.isEmpty
                || !match.commands.isEmpty || !match.commandClasses.isEmpty || !match.tools.isEmpty
                || !match.arguments.isEmpty || match.readsRequests
        else {
            throw ConfigError(
                path: path,
                message: "matches nothing: give classes, tables, functions, regex, command, tool, method, path or verb")
        }
        return match
    }

    /// An HTTP rule's `method`, `path`, `query` and `body`.
    private static func readRequestConditions(_ node: inout ConfigNode, path: String, into match: inout GuardrailMatch)
        throws(ConfigError)
    {
        for method in try node.stringOrList("method") ?? [] {
            let upper = method.uppercased()
            guard !upper.isEmpty, upper.allSatisfy({ $0.isLetter && $0.isASCII }) else {
                throw ConfigError(path: "\(path).method", message: "'\(method)' is not an HTTP method")
            }
            match.methods.insert(upper)
        }
        for text in try node.stringOrList("path") ?? [] {
            do {
                match.paths.append(try PathTemplate(text))
            } catch {
                throw ConfigError(path: "\(path).path", message: "'\(text)' \(error.message)")
            }
        }
        match.query = try (node.textMapping("query") ?? []).map {
            ToolArgumentCondition(path: $0.key, pattern: $0.value, dotted: false)
        }
        match.body = try (node.textMapping("body") ?? []).map {
            ToolArgumentCondition(path: $0.key, pattern: $0.value)
        }
        match.verbs = Set((try node.stringOrList("verb") ?? []).map { $0.lowercased() })
        let knownVerbs = KubernetesVerb.allCases.map(\.rawValue)
        for verb in match.verbs where !knownVerbs.contains(verb) {
            throw ConfigError(
                path: "\(path).verb", message: "unknown verb '\(verb)'; known: \(knownVerbs.joined(separator: ", "))")
        }
        match.resources = try node.stringOrList("resource") ?? []
        match.namespaces = try node.stringOrList("namespace") ?? []
    }

    /// `classes:` are SQL statement classes on a statement engine and command classes on a command engine.
    private static func readClasses(
        _ node: inout ConfigNode, path: String, subject: GuardrailSubject, into match: inout GuardrailMatch
    ) throws(ConfigError) {
        guard subject == .commands || subject == .kubernetes else {
            match.classes = try statementClasses(&node, path: path)
            return
        }
        for name in try node.stringList("classes") ?? [] {
            guard let known = CommandClass(rawValue: name) else {
                let names = CommandClass.allCases.map(\.rawValue).joined(separator: ", ")
                throw ConfigError(path: path, message: "unknown command class '\(name)'; known: \(names)")
            }
            match.commandClasses.insert(known)
        }
    }

    private static func statementClasses(_ node: inout ConfigNode, path: String) throws(ConfigError) -> Set<String> {
        let names = try node.stringList("classes") ?? []
        let known = Set(SQLStatementClass.allCases.map(\.rawValue))
        for name in names where !known.contains(name) {
            throw ConfigError(
                path: path,
                message: "unknown statement class '\(name)'; known: \(known.sorted().joined(separator: ", "))"
            )
        }
        return Set(names)
    }
}
