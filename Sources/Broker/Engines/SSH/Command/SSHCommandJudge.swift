import HoopCore

/// Decides whether a command may reach an SSH target. The engine asks before it forwards an `exec` request or a
/// subsystem request, and holds everything the client sends on that channel until the answer comes, so nothing of
/// a refused command reaches the target. Guardrails and approvals plug in here; `AllowingSSHCommandJudge` is the
/// judge of resources that have none.
protocol SSHCommandJudge: Sendable {
    func judge(_ request: SSHCommandRequest) async -> SSHCommandDecision
    /// The gate whose held commands are withdrawn when the client leaves; nil where nothing is ever held.
    var gate: GuardrailGate? { get }
}

extension SSHCommandJudge {
    var gate: GuardrailGate? { nil }
}

/// What the client asked to run, and on whose behalf.
struct SSHCommandRequest: Sendable {
    enum Action: Sendable, Equatable {
        /// `ssh host COMMAND`: the command line exactly as the client sent it (parse it with `ShellCommandLine`).
        case exec(String)
        /// A subsystem such as `sftp`.
        case subsystem(String)
    }

    var action: Action
    var session: String
    var resource: String
    /// The session's principal as the audit log names it.
    var actor: String
    /// The tunnel connection and the SSH channel within it, as the recording numbers them.
    var connection: Int64
    var channel: UInt32
}

/// A judge's answer.
enum SSHCommandDecision: Sendable {
    case allow
    /// The client sees `message` on stderr and exit status 126; the target sees nothing.
    case refuse(String)
    /// Not decided yet (an approval is pending): `notice` goes to the client's stderr at once, and the engine then
    /// waits for `decision`, which may itself hold again.
    case hold(notice: String, decision: @Sendable () async -> SSHCommandDecision)
    /// Refused because the broker could not record its decision: the client sees `message`, then the whole
    /// connection ends (fail closed), as a PostgreSQL session does.
    case end(String)
}

/// Allows everything: the engine's own settings (`allow_shell`, `allow_sftp`, `allow_port_forwarding`) still apply.
struct AllowingSSHCommandJudge: SSHCommandJudge {
    func judge(_ request: SSHCommandRequest) async -> SSHCommandDecision { .allow }
}
