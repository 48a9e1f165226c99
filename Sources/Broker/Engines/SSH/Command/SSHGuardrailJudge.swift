/// The command judge of an SSH resource with guardrails: `exec` command lines are judged by `CommandJudge`, and the
/// verdict goes through the same `GuardrailGate` as SQL statements, so requests, decisions, waiting and audit events
/// are identical across engines; `SSHGuardrailAdapter` says the outcome the SSH way. Interactive shells are not
/// judged here (they are recorded; resources can forbid them with `allow_shell: false`).
struct SSHGuardrailJudge: SSHCommandJudge {
    let commands: CommandJudge
    let guardrails: GuardrailGate

    var gate: GuardrailGate? { guardrails }

    func judge(_ request: SSHCommandRequest) async -> SSHCommandDecision {
        guard case .exec(let line) = request.action else { return .allow }
        return await guardrails.answer(commands.judge(line), on: line, with: SSHGuardrailAdapter())
    }
}
