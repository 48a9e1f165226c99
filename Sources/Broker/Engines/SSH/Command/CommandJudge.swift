/// Applies an SSH resource's guardrails to `exec` command lines, the way `StatementJudge` applies them to SQL. Each
/// line is parsed the way the target's shell reads it; every simple command in it, and every command its wrappers
/// and scripts run (`sudo`, `env`, `xargs`, `sh -c`, `find -exec`...), is matched against the rules' `command`
/// globs (as written and with the program's directory dropped, so `/bin/rm -rf x` is `rm -rf x` too) and their
/// command classes (`recursive_delete`...). The strictest action wins.
///
/// What the judge cannot read with certainty — a line it cannot parse, a command that computes what it runs
/// (`$(...)`, `eval`, variables or globs in the command name), code for an interpreter or a shell's input — is
/// refused, or held for approval where the resource says `unreadable_commands: require_approval`. Control
/// characters are always refused: an approver could not see what would run.
struct CommandJudge: Sendable {
    let rules: [GuardrailRule]
    var unreadable: UnreadableCommands = .refuse

    /// The strictest verdict over every command of `line`.
    func judge(_ line: String) -> GuardrailJudgement {
        if let (offset, scalar) = CommandLineCharacters.refused(in: line) {
            return .block(
                rule: "control_characters",
                reason: "the command line carries \(CommandLineCharacters.name(scalar)) at character \(offset); "
                    + "control and invisible characters, and bytes that are not UTF-8, are refused because what "
                    + "runs could differ from what is judged and shown")
        }
        let commands: [SimpleCommand]
        do {
            commands = try ShellCommandLine.parse(line)
        } catch {
            return unreadableVerdict(rule: "unreadable_command", reason: "\(error)")
        }
        var verdict = GuardrailJudgement.allow
        for command in commands {
            if command.isOpaque {
                let constructs = command.opaque.map(\.rawValue).sorted().joined(separator: ", ")
                verdict = GuardrailJudgement.stricter(
                    verdict,
                    unreadableVerdict(
                        rule: "opaque_command",
                        reason: "the command computes what it runs or runs code the broker cannot read "
                            + "(\(constructs))"))
            }
            for rule in rules {
                if let reason = Self.match(rule.match, command) {
                    verdict = GuardrailJudgement.stricter(verdict, rule.judgement(reason))
                }
            }
        }
        return verdict
    }

    /// What in `command` the rule's conditions match, or nil.
    static func match(_ match: GuardrailMatch, _ command: SimpleCommand) -> String? {
        let classes = match.commandClasses.intersection(command.classes)
        if !classes.isEmpty {
            return "command is \(classes.sorted().map(\.rawValue).joined(separator: ", "))"
        }
        let runs = command.runs.isEmpty ? [command.argv] : command.runs
        var spellings: [String] = []
        for run in runs {
            spellings.append(run.joined(separator: " "))
            if let name = run.first, let program = name.split(separator: "/").last.map(String.init), program != name {
                spellings.append(([program] + run.dropFirst()).joined(separator: " "))
            }
        }
        guard
            let pattern = match.commands.first(where: { pattern in
                spellings.contains { NamePattern.glob(pattern, $0) }
            })
        else { return nil }
        return "command matches \"\(pattern)\""
    }

    private func unreadableVerdict(rule: String, reason: String) -> GuardrailJudgement {
        switch unreadable {
        case .refuse: .block(rule: rule, reason: reason)
        case .requireApproval(let requirement): .requireApproval(rule: rule, reason: reason, requirement: requirement)
        }
    }
}

/// What a guarded SSH resource does with a command line its judge cannot read (`unreadable_commands:`): refuse it
/// (the default, fail closed), or hold it until approvers have read it themselves.
package enum UnreadableCommands: Sendable, Equatable {
    case refuse
    case requireApproval(ApprovalRequirement)
}
