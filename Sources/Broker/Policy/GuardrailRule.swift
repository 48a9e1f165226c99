/// One guardrail from a resource's `guardrails:` list: what it matches and what happens to a statement it matches.
package struct GuardrailRule: Sendable {
    /// `name:` from the config, or `guardrails[N]`; named in refusals, approvals and audit events.
    package var name: String
    package var match: GuardrailMatch
    package var action: GuardrailAction

    /// This rule's verdict on something it matched, `reason` saying what.
    func judgement(_ reason: String) -> GuardrailJudgement {
        switch action {
        case .block: .block(rule: name, reason: reason)
        case .requireApproval(let requirement): .requireApproval(rule: name, reason: reason, requirement: requirement)
        }
    }
}

/// What happens to a matching statement.
package enum GuardrailAction: Sendable, Equatable {
    case block
    case requireApproval(ApprovalRequirement)
}

/// The conditions of a rule; a statement matches when any listed condition holds.
///
/// - `classes`: statement classes from the SQL classifier (`drop`, `delete_without_where`, ...).
/// - `tables`: `schema.table` globs; an unqualified name in a statement matches a rule for that name in any
///   schema, because the effective search path is not certain (so `payroll.*` catches every unqualified table);
///   statements and startup options that change the search path are refused where table rules exist.
/// - `functions`: function-name globs, matched with and without their schema.
/// - `command` (SSH): globs over each command an exec request runs; `classes` (SSH): command classes.
/// - `tool` (MCP): globs over the tool's name; `arguments` (MCP): `field.path: glob` conditions on the call's
///   arguments. An MCP rule matches a call when its tool globs (if any) match and all its argument conditions hold.
/// - `verb`, `resource`, `namespace` (Kubernetes), with `command`/`classes` judging `pods/exec` commands.
/// - `method`, `path`, `query`, `body` (HTTP): a request matches when every key the rule gives holds: the method
///   is listed, a path template matches, and each query and body condition holds.
/// - `regex`: patterns tried, case-insensitively, on the statement's normalized text (comments removed,
///   identifiers unquoted and folded, literals decoded) and on its raw text.
package struct GuardrailMatch: Sendable {
    package var classes: Set<String> = []
    package var tables: [NamePattern] = []
    package var functions: [NamePattern] = []
    package var patterns: [GuardrailPattern] = []
    /// For SSH resources: globs over each simple command of an exec request (`*` matches any run, spaces too).
    package var commands: [String] = []
    /// For SSH resources: what commands do (`match: [recursive_delete]`), however they are spelled or wrapped.
    package var commandClasses: Set<CommandClass> = []
    /// For MCP resources: globs over the name of the tool called (case-sensitive, as MCP names are exact).
    package var tools: [String] = []
    /// For MCP resources: conditions on the call's arguments, all of which must hold (with `tools`, for a tool
    /// they name).
    package var arguments: [ToolArgumentCondition] = []
    /// For HTTP resources: request methods, upper-case (a rule naming GET also matches HEAD, which runs the same
    /// handler on most servers).
    package var methods: Set<String> = []
    /// For HTTP resources: templates over the request's normalized, decoded path.
    package var paths: [PathTemplate] = []
    /// For HTTP resources: `name: glob` conditions on the query's parameters, all of which must hold.
    package var query: [ToolArgumentCondition] = []
    /// For HTTP resources: `field.path: glob` conditions on a JSON or form body, all of which must hold.
    package var body: [ToolArgumentCondition] = []
    /// For Kubernetes resources: API verbs as RBAC names them (`get`, `list`, `watch`, `create`, `update`, `patch`,
    /// `delete`, `deletecollection`).
    package var verbs: Set<String> = []
    /// For Kubernetes resources: resource globs, with a subresource after `/` (`pods`, `pods/exec`, `deployments`).
    package var resources: [String] = []
    /// For Kubernetes resources: namespace globs.
    package var namespaces: [String] = []

    /// Whether the rule reads anything of an HTTP request beyond its command.
    var readsRequests: Bool {
        !methods.isEmpty || !paths.isEmpty || !query.isEmpty || !body.isEmpty || readsKubernetes
    }

    /// Whether the rule reads Kubernetes attributes.
    var readsKubernetes: Bool { !verbs.isEmpty || !resources.isEmpty || !namespaces.isEmpty }

    /// Whether the rule judges commands (SSH exec, Kubernetes exec).
    var readsCommands: Bool { !commands.isEmpty || !commandClasses.isEmpty }

    /// Whether a rule here names tables with a schema, which a search-path change could sidestep.
    var namesTables: Bool { !tables.isEmpty }
}
