/// The CLI's documented exit codes (DESIGN.md §6). Scripts and agents branch on these, so they never change. This
/// is the one table: `hoopctl --help`, every man page's EXIT STATUS and the README show `summary`, and a test
/// checks they agree.
package enum ExitStatus: Int32, Sendable, CaseIterable {
    case ok = 0
    case error = 1
    case usage = 2
    case denied = 3
    case approvalPending = 4
    case brokerUnreachable = 5

    /// When a command exits with this code, in one line short enough for an 80-column help screen.
    package var summary: String {
        switch self {
        case .ok: "success, also when the output's reader left early (`| head`)"
        case .error: "any other error: a failed statement, a bad config file, failed evidence"
        case .usage: "usage: an unknown command or option, a missing or malformed argument"
        case .denied: "denied or blocked: policy, guardrail, refused approval, revoked session"
        case .approvalPending: "approval pending and not waited for (--no-wait, also with --approval ID)"
        case .brokerUnreachable: "the broker cannot be reached (wrong URL, not running, network)"
        }
    }

    /// The whole table as plain text lines, `N  summary`.
    package static var table: [String] {
        allCases.map { "\($0.rawValue)  \($0.summary)" }
    }
}
