import HoopCore
import Local
import NIOConcurrencyHelpers

/// A command's stdout and stderr kept for a `run` result, up to a byte budget shared by both; what goes past it
/// is counted, not kept, so a chatty command cannot grow the server's memory.
final class CommandCapture: Sendable {
    private struct Kept {
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var dropped = 0
    }

    private let budget: Int
    private let kept = NIOLockedValueBox(Kept())

    init(budget: Int) {
        self.budget = budget
    }

    var streams: CommandStreams {
        CommandStreams(readsStandardInput: false) { stream, bytes in
            self.kept.withLockedValue { kept in
                let room = max(0, self.budget - kept.stdout.count - kept.stderr.count)
                let taken = bytes.prefix(room)
                if stream == .error { kept.stderr += taken } else { kept.stdout += taken }
                kept.dropped += bytes.count - taken.count
            }
        }
    }

    /// What was kept, as text (invalid UTF-8 repaired), and how many bytes were not.
    var text: (stdout: String, stderr: String, dropped: Int) {
        kept.withLockedValue { kept in
            (String(decoding: kept.stdout, as: UTF8.self), String(decoding: kept.stderr, as: UTF8.self), kept.dropped)
        }
    }
}
