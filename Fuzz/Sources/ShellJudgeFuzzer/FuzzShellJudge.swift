import FuzzSupport

@testable import Broker

/// Rules of the kinds an SSH or Kubernetes resource has: a command glob and a command class.
let rules = [
    GuardrailRule(name: "no_rm", match: GuardrailMatch(commands: ["rm *"]), action: .block),
    GuardrailRule(name: "no_trees", match: GuardrailMatch(commandClasses: [.recursiveDelete]), action: .block),
]

/// One libFuzzer input: a command line as an SSH `exec` request or a `kubectl exec` carries it (invalid UTF-8
/// becomes U+FFFD, which the judge refuses like any character it cannot show). Checked:
/// - a line with a control or invisible character is blocked under `control_characters`;
/// - rules only ever make the verdict stricter than the judge without rules;
/// - quote removal is bash's: each literal command of the line, its words single-quoted and read again, gives the
///   same words, so what the rules matched is what the program receives.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzShellJudge(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let line = input.restText()
    let judged = CommandJudge(rules: rules).judge(line)
    let unruled = CommandJudge(rules: []).judge(line)
    require(
        // `stricter` keeps its first argument when both rank the same, so this fails only for a looser verdict.
        GuardrailJudgement.stricter(judged, unruled) == judged,
        "rules loosened \(unruled) to \(judged) for \(line.debugDescription)")
    if CommandLineCharacters.refused(in: line) != nil {
        require(
            judged.explanation?.rule == "control_characters",
            "a control character got \(judged) in \(line.debugDescription)")
        return 0
    }
    guard let commands = try? ShellCommandLine.parse(line) else { return 0 }
    for command in commands where command.depth == 0 && !command.isOpaque && !command.argv.isEmpty {
        let quoted = command.argv.map { "'" + $0.replacing("'", with: #"'\''"#) + "'" }.joined(separator: " ")
        guard let reread = try? ShellCommandLine.parse(quoted) else {
            fatalError("the quoted words of \(command.argv) in \(line.debugDescription) do not parse")
        }
        require(
            reread.first?.argv == command.argv,
            "\(line.debugDescription) gives words \(command.argv), which read back quoted as \(reread.first?.argv ?? [])"
        )
    }
    return 0
}
