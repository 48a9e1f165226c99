import HoopCore

/// The command judge of an SSH resource with guardrails: each `exec` command line is parsed the way the target's
/// shell reads it, every simple command in it is matched against the rules' `command` globs (as written and with
/// the program's directory dropped, so `/bin/rm -rf x` is `rm -rf x` too), and the strictest action wins. A
/// command line that cannot be parsed, or that computes what it runs (`$(...)`, `eval`, variables in the command
/// name), is refused. Blocks and approvals go through the same `StatementGate` as SQL statements, so requests,
/// decisions, waiting and audit events are identical across engines. Interactive shells are not judged here (they
/// are recorded; resources can forbid them with `allow_shell: false`).
struct SSHGuardrailJudge: SSHCommandJudge {
    let rules: [GuardrailRule]
    let gate: StatementGate

    func judge(_ request: SSHCommandRequest) async -> SSHCommandDecision {
        guard case .exec(let line) = request.action else { return .allow }
        switch Self.judgement(line, rules: rules) {
        case .allow:
            return .allow
        case .block(let rule, let reason):
            return Self.decision(await gate.block(line, rule: rule, reason: reason))
        case .requireApproval(let rule, let reason, let requirement):
            let outcome = await gate.requestApproval(line, rule: rule, reason: reason, requirement: requirement)
            guard case .held(let approval) = outcome else { return Self.decision(outcome) }
            // The engine prefixes "hoop: " and ends the line.
            let notice =
                "command held for approval \(approval.id) by guardrail '\(rule)' (\(reason)): needs "
                + "\(approval.minApprovals) approval(s) from \(approval.approverGroups.joined(separator: ", ")); "
                + "an approver runs `\(approval.info.approveCommand)`"
            return .hold(notice: notice) {
                Self.decision(await gate.awaitDecision(approval, statement: line))
            }
        }
    }

    static func decision(_ outcome: GateOutcome) -> SSHCommandDecision {
        switch outcome {
        case .run: .allow
        case .refused(let refusal): .refuse(refusal.message)
        case .pending(let approval):
            .refuse("the command needs approval \(approval.id); an approver runs `\(approval.info.approveCommand)`")
        case .held(let approval): .refuse("approval \(approval.id) is undecided")
        case .unavailable(let problem): .refuse("the broker cannot record its decision: \(problem)")
        }
    }

    /// The strictest verdict over every simple command of `line`.
    static func judgement(_ line: String, rules: [GuardrailRule]) -> StatementJudgement {
        let commands: [SimpleCommand]
        do {
            commands = try ShellCommandLine.parse(line)
        } catch {
            return .block(rule: "unreadable_command", reason: "\(error)")
        }
        var verdict = StatementJudgement.allow
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
                verdict = StatementJudge.stricter(verdict, rule.judgement("command matches \"\(pattern)\""))
            }
        }
        return verdict
    }
}
