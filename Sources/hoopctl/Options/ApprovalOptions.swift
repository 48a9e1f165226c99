import ArgumentParser
import Foundation
import HoopCore
import Local
import Synchronization

/// How `connect` and `exec` behave when the broker holds the session or a statement for approval.
struct ApprovalOptions: ParsableArguments {
    @Flag(
        name: .long,
        help: "Do not wait for approvals: exit 4 at once with the request id (resume later with --approval ID)."
    )
    var noWait = false

    /// The waiting behaviour, reporting progress on stderr: a self-updating line on a terminal, one line per change
    /// otherwise (so logs and agents see each step).
    func wait(on console: Console) -> ApprovalWait {
        let terminal = isatty(STDERR_FILENO) == 1
        let last = LastLine()
        return ApprovalWait(wait: !noWait) { approval in
            let line = "hoopctl: " + ApprovalWait.statusLine(approval)
            guard last.replace(with: line) else { return }
            if terminal {
                Console.diagnostic("\r\u{1B}[K\(line)\(approval.status == .pending ? "" : "\n")")
            } else {
                console.note(line)
            }
        }
    }
}

/// The last status line shown, so an unchanged state is not printed again.
private final class LastLine: Sendable {
    private let text = Mutex<String?>(nil)

    /// Stores `line`; false when it equals the previous one.
    func replace(with line: String) -> Bool {
        text.withLock { current in
            guard current != line else { return false }
            current = line
            return true
        }
    }
}
