/// How a splice side ends its channel's output once the other side's input has ended, and how it closes the
/// channel. Each transport has its own constraint, so the rule is chosen where the splice is built, never inferred.
package enum HalfCloseRule: Sendable, Equatable {
    /// Half-close and close at once. The channel itself keeps what was written ahead of the close (a pipeline of
    /// encoders and TLS that orders the close behind earlier writes): the broker's message relay.
    case immediate
    /// Half-close and close only once the last write handed over has completed. A socket whose output is shut
    /// down fails the writes still queued, so the port forwarder waits for them: no byte is dropped.
    case afterPendingWrites
    /// SSH channels: EOF is sent at most once and never after the peer's own EOF (the SSH library calls that out
    /// of sequence and drops what was queued), so after the peer's EOF the end of output is the pending writes
    /// completing. A close sends EOF first and waits for it, so data still waiting for the peer's window goes out.
    case eofOnceNotAfterPeer
}
