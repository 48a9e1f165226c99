/// Applies an SSH resource's guardrails to `exec` command lines, the way `StatementJudge` applies them to SQL. Each
/// line is parsed the way the target's shell reads it, every simple command in it is matched against the rules'
/// `command` globs (as written and with the program's directory dropped, so `/bin/rm -rf x` is `rm -rf x` too), and
/// the strictest action wins. A line that cannot be parsed, or that computes what it runs (`$(...)`, `eval`,
/// variables in the command name), is blocked.
struct CommandJudge: Sendable {
    let rules: [GuardrailRule]

    /// The strictest verdict over every simple command of `line`.
    func judge(_ line: String) -> GuardrailJudgement {
        let commands: [SimpleCommand]
        do {
            commands = try ShellCommandLine.parse(line)
        } catch {
            return .block(rule: "unreadable_command", reason: "\(error)")
        }
        var verdict = GuardrailJudgement.allow
        for command in commands {
            if command.isOpaque {
                let constructs = command.opaque.map(\.rawValue).sorted().joined(separator: ", ")
                return .block(
                    rule: "opaque_command",
                    reason: "the command computes what it runs (\(constructs)), which a guarded resource does not allow"
                )
            }
            var spellings = [command.argv.joined(separator: " ")]
            if let program = command.program, program != command.argv.first {
                spellings.append(([program] + command.argv.dropFirst()).joined(separator: " "))
            }
            for rule in rules {
                guard
                    let pattern = rule.match.commands.first(where: { pattern in
                        spellings.contains { NamePattern.glob(pattern, $0) }
                    })
                else { continue }
                verdict = GuardrailJudgement.stricter(verdict, rule.judgement("command matches \"\(pattern)\""))
            }
        }
        return verdict
    }
}
