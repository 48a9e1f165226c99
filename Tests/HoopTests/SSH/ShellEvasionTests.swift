import Foundation
import Testing

@testable import Broker

/// The SSH command judge against `ShellEvasionCorpus`, written as a hostile agent would write command lines: every
/// attempt carries its class into the judge's verdict or is refused, and ordinary commands stay allowed.
@Suite("SSH guardrails: evasion corpus")
struct ShellEvasionTests {
    /// One blocking rule per class, as an operator guarding everything would write it.
    static func blocking(_ classes: Set<CommandClass>) -> [GuardrailRule] {
        classes.sorted().map {
            GuardrailRule(name: $0.rawValue, match: GuardrailMatch(commandClasses: [$0]), action: .block)
        }
    }

    @Test("every attempt is detected as its class or refused", arguments: ShellEvasionCorpus.attempts)
    func attempt(_ attempt: ShellEvasion) {
        switch attempt.mustDetect {
        case .commandClass(let expected):
            // Only the rule for the class under test: the verdict must name it, or refuse what it cannot read.
            let verdict = CommandJudge(rules: Self.blocking([expected])).judge(attempt.line)
            guard case .block(let rule, _) = verdict else {
                Issue.record("\(attempt) was allowed; it must be \(expected.rawValue)")
                return
            }
            #expect(
                [expected.rawValue, "opaque_command", "unreadable_command", "control_characters"].contains(rule),
                "\(attempt) was blocked by \(rule)")
        case .refused:
            // Even a rule about something else entirely must not let an unreadable line through.
            let verdict = CommandJudge(rules: Self.blocking([.userManagement])).judge(attempt.line)
            guard case .block(let rule, _) = verdict else {
                Issue.record("\(attempt) was \(verdict.label); it must be refused")
                return
            }
            #expect(
                ["opaque_command", "unreadable_command", "control_characters"].contains(rule), "\(attempt): \(rule)")
        }
    }

    @Test("the corpus covers every trick with enough lines, and each group has lines that beat the old judge")
    func coverage() {
        let attempts = ShellEvasionCorpus.attempts
        #expect(attempts.count >= 100)
        for group in ShellEvasionGroup.allCases {
            let lines = attempts.filter { $0.group == group }
            #expect(!lines.isEmpty, "no lines for \(group.rawValue)")
            #expect(lines.contains { $0.passedOldJudge }, "\(group.rawValue) has no line the old judge let through")
        }
        #expect(Set(attempts.map(\.line)).count == attempts.count, "a line appears twice")
    }

    @Test(
        "ordinary commands stay allowed under rules for every other class",
        arguments: ShellEvasionCorpus.ordinary.map(\.line))
    func ordinary(_ line: String) throws {
        let allowed = try #require(ShellEvasionCorpus.ordinary.first { $0.line == line }).allowedUnder
        let rules = Self.blocking(Set(CommandClass.allCases).subtracting(allowed))
        #expect(CommandJudge(rules: rules).judge(line) == .allow, "\(line): \(CommandJudge(rules: rules).judge(line))")
    }

    @Test("rm without -r is a file delete but not a recursive one, however the operand looks")
    func plainDelete() {
        let rules = Self.blocking([.recursiveDelete])
        for line in ["rm file.txt", "rm -f a b", "rm -- -r", "rm -i -- --recursive", "unlink x"] {
            #expect(CommandJudge(rules: rules).judge(line) == .allow, "\(line)")
        }
        #expect(CommandJudge(rules: Self.blocking([.fileDelete])).judge("rm -- -r") != .allow)
    }

    @Test("classes reach through wrappers, scripts and find into what runs")
    func classesOfNestedCommands() throws {
        let commands = try ShellCommandLine.parse("sudo -u app timeout 5 sh -c 'find /srv -exec rm {} +'")
        #expect(commands[0].classes.isSuperset(of: [.privilegeEscalation, .shellEval]))
        #expect(commands[0].runs.map { $0.first } == ["sudo", "timeout", "sh"])
        #expect(commands.last?.classes.isSuperset(of: [.fileDelete, .recursiveDelete]) == true)
        #expect(commands.last?.depth == 1)
    }

    @Test("command globs match the command a wrapper runs too")
    func globsThroughWrappers() {
        let rules = [GuardrailRule(name: "no-reboot", match: GuardrailMatch(commands: ["reboot*"]), action: .block)]
        for line in ["sudo reboot", "nohup reboot now", "env -i reboot", "timeout 9 /sbin/reboot -f"] {
            #expect(
                CommandJudge(rules: rules).judge(line)
                    == .block(rule: "no-reboot", reason: "command matches \"reboot*\""))
        }
    }

    @Test("unreadable_commands: require_approval holds what the judge cannot read; control characters still refuse")
    func unreadableNeedsApproval() {
        let requirement = ApprovalRequirement(approvers: ["sre"], minApprovals: 1)
        let judge = CommandJudge(rules: Self.blocking([.recursiveDelete]), unreadable: .requireApproval(requirement))
        guard case .requireApproval(let rule, _, let asked) = judge.judge("python3 -c 'print(1)'") else {
            Issue.record("an interpreter must wait for approval under require_approval")
            return
        }
        #expect(rule == "opaque_command")
        #expect(asked == requirement)
        // A known block beats the approval: the readable part of the line is still judged.
        guard case .block(let blocked, _) = judge.judge("python3 -c 1; rm -r /srv") else {
            Issue.record("the recursive delete beside the interpreter must still be blocked")
            return
        }
        #expect(blocked == "recursive_delete")
        guard case .block(let control, _) = judge.judge("ls\r\nrm -r /srv") else {
            Issue.record("control characters are never approvable")
            return
        }
        #expect(control == "control_characters")
    }

    @Test("a refusal names a control character by its code point instead of printing it")
    func controlCharacterNamed() {
        guard case .block(_, let reason) = CommandJudge(rules: []).judge("ls\u{0}rm") else {
            Issue.record("NUL must be refused")
            return
        }
        #expect(reason.contains("U+0000 at character 2"))
        #expect(!reason.unicodeScalars.contains("\u{0}"))
    }

    @Test("env requests: the locale and terminal pass by default; loader, shell and function variables never do")
    func environmentFilter() {
        let filter = EnvironmentFilter()
        for name in ["LANG", "LC_ALL", "LC_CTYPE", "TERM"] { #expect(filter.refusal(of: name) == nil, "\(name)") }
        for name in [
            "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "BASH_ENV", "ENV", "PATH", "IFS", "SHELLOPTS", "BASHOPTS",
            "PS4", "PROMPT_COMMAND", "BASH_FUNC_ls%%", "DYLD_INSERT_LIBRARIES", "GIT_SSH_COMMAND", "FOO", "",
            "LC_ALL=x",
        ] {
            #expect(filter.refusal(of: name) != nil, "\(name) must be refused")
        }
        let custom = EnvironmentFilter(allowed: ["APP_*", "PATH"])
        #expect(custom.refusal(of: "APP_MODE") == nil)
        #expect(custom.refusal(of: "LANG") != nil, "an explicit list replaces the default")
        #expect(custom.refusal(of: "PATH") != nil, "PATH is never passed, even when listed")
    }

    @Test("the adapter ends the connection when a decision cannot be audited")
    func auditFailureEnds() {
        guard case .end(let message) = SSHGuardrailAdapter().unavailable("the audit store is full") else {
            Issue.record("an unaudited decision must end the connection")
            return
        }
        #expect(message.contains("the audit store is full"))
        #expect(message.contains("ends this connection"))
    }
}
