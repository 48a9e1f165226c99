import NIOCore

/// Times statements across the two relay directions of one connection, for every SQL engine. The request side marks when a round of
/// work was sent; the result side measures each completion from the later of that mark and the previous completion,
/// so the statements of a multi-statement query or a pipelined batch each get their own share.
final class StatementClock: @unchecked Sendable {
    // Touched only on the connection's event loop (both channels share it).
    private var started: NIODeadline?
    private var lastCompletion: NIODeadline?

    func requestSent() {
        if started == nil { started = .now() }
    }

    /// Microseconds the statement that just completed took.
    func completed() -> Int64 {
        let now = NIODeadline.now()
        let since = [started, lastCompletion].compactMap { $0 }.max() ?? now
        lastCompletion = now
        return (now - since).nanoseconds / 1_000
    }

    /// The server is idle again: the next request starts a new round.
    func idle() {
        started = nil
        lastCompletion = nil
    }
}
