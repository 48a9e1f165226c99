import NIOCore

/// The flow state of one side of a splice between two channels, whatever the messages are (bytes or decoded
/// protocol messages): whether its reads wait for the other side (backpressure or a held message), what it read
/// while a message was held, whether its input and output have ended, and whether the splice failed.
///
/// A value type whose mutating methods return what to do; the channel handler that owns it performs the actions
/// and keeps nothing of the flow itself, so every transition can be tested without a channel. One machine belongs
/// to each channel of a splice: its input is what that channel reads, its output what is written to it.
package struct RelayStateMachine<Message> {
    /// A read the channel asked for while it could not be done; done once reads may go on.
    private var pendingRead = false
    /// A message is held (waiting for a decision): what the channel reads meanwhile waits in `queue`, in order.
    private var holding = false
    private var queue = CircularBuffer<Queued>()
    /// This channel's peer ended its input (it sent EOF or half-closed).
    private var inputEnded = false
    /// This channel's output was ended (or, by the rule, marked ended); it is ended once.
    private var outputEnded = false
    /// The splice failed or the channel closed: nothing more is relayed.
    private var stopped = false

    /// How this channel's output ends and how it closes.
    package let halfClose: HalfCloseRule

    private enum Queued {
        case message(Message)
        case endOfInput
    }

    package init(halfClose: HalfCloseRule) {
        self.halfClose = halfClose
    }
}

// MARK: Reads and backpressure

extension RelayStateMachine {
    package enum ReadAction: Sendable, Equatable {
        /// Pass the read on to the channel.
        case read
        /// Do nothing now; the read is remembered and comes back as `.read` once reads may go on.
        case wait
    }

    /// The channel asks to read. It may when no message is held and the other side can take more.
    package mutating func readRequested(partnerWritable: Bool) -> ReadAction {
        if !holding, partnerWritable { return .read }
        pendingRead = true
        return .wait
    }

    /// The other side's writability changed: a read that waited for it may go on.
    package mutating func partnerWritabilityChanged(writable: Bool) -> ReadAction {
        guard writable else { return .wait }
        return resumeIfPending()
    }

    private mutating func resumeIfPending() -> ReadAction {
        guard pendingRead, !holding else { return .wait }
        pendingRead = false
        return .read
    }
}

// MARK: Input

extension RelayStateMachine {
    package enum MessageAction {
        /// Judge or relay the message now.
        case process(Message)
        /// A message is held: this one waits its turn; it comes back from `nextHeld`.
        case queued
        /// The splice stopped: drop it.
        case discard
    }

    package mutating func messageRead(_ message: Message) -> MessageAction {
        if stopped { return .discard }
        if holding {
            queue.append(.message(message))
            return .queued
        }
        return .process(message)
    }

    package enum EndOfInputAction: Sendable, Equatable {
        /// End the other side's output now (after sending what the stage kept back).
        case pass
        /// A message is held: the end of input keeps its place behind what was read before it.
        case queued
        /// The splice stopped: nothing to pass on.
        case discard
    }

    /// This channel's peer ended its input. That is a fact at once (it decides how this channel's own output may
    /// end); passing it on to the other side waits behind a held message.
    package mutating func endOfInput() -> EndOfInputAction {
        inputEnded = true
        if stopped { return .discard }
        if holding {
            queue.append(.endOfInput)
            return .queued
        }
        return .pass
    }
}

// MARK: Holding

extension RelayStateMachine {
    /// Whether a message is held and reads wait for its decision.
    package var isHolding: Bool { holding }

    /// A message is held until its decision arrives: reads stop and what was read already is queued.
    package mutating func holdBegan() {
        guard !stopped else { return }
        holding = true
    }

    package enum HoldEndAction: Sendable, Equatable {
        /// Act on the decision, then take what was queued from `nextHeld`.
        case apply
        /// The splice stopped meanwhile: there is nobody to tell.
        case ignore
    }

    /// The held message's decision arrived.
    package mutating func holdEnded() -> HoldEndAction {
        holding = false
        return stopped ? .ignore : .apply
    }

    /// The held message was refused and ends the exchange: what waited behind it is dropped, never processed, and
    /// reads wait as they were (the refusal closes the channel). Later input passes as usual.
    package mutating func dropHeld() {
        holding = false
        queue.removeAll()
    }

    package enum HeldAction {
        /// Process the next message that waited, as if it had just been read.
        case process(Message)
        /// Pass on the end of input that waited behind the messages before it.
        case passEndOfInput
        /// Processing a queued message began another hold: stop here; the rest waits for that decision.
        case holding
        /// The queue is empty: flush the other side, and read if `resumeReading`.
        case drained(resumeReading: Bool)
        /// The splice stopped (a queued message failed it, or the channel closed): do nothing more.
        case stopped
    }

    /// What to do next with what was read during a hold. Call until it answers `.holding` or `.drained`.
    package mutating func nextHeld(partnerWritable: Bool) -> HeldAction {
        if stopped { return .stopped }
        if holding { return .holding }
        switch queue.popFirst() {
        case .message(let message):
            return .process(message)
        case .endOfInput:
            return .passEndOfInput
        case nil:
            guard partnerWritable else { return .drained(resumeReading: false) }
            return .drained(resumeReading: resumeIfPending() == .read)
        }
    }
}

// MARK: Output and close

extension RelayStateMachine {
    package enum OutputEndAction: Sendable, Equatable {
        /// The output was ended already (EOF is sent once).
        case none
        /// Half-close the channel's output now.
        case halfClose
        /// Half-close the channel's output once the last write handed to it has completed.
        case halfCloseAfterPendingWrites
        /// Send no EOF (the peer sent its own first); the output counts as ended once pending writes complete.
        case endWithoutEOF
    }

    /// The other side's input ended (or the splice is closing this side): end this channel's output.
    package mutating func endOutput() -> OutputEndAction {
        guard !outputEnded else { return .none }
        outputEnded = true
        switch halfClose {
        case .immediate: return .halfClose
        case .afterPendingWrites: return .halfCloseAfterPendingWrites
        case .eofOnceNotAfterPeer: return inputEnded ? .endWithoutEOF : .halfClose
        }
    }

    package enum CloseAction: Sendable, Equatable {
        /// Close the channel now.
        case close
        /// Close the channel once the last write handed to it has completed.
        case closeAfterPendingWrites
        /// Perform `endOutput` (which may be `.none`: it was ended already), then close once the output has ended.
        case closeAfterOutputEnd(OutputEndAction)
    }

    /// Close this channel: the other side is gone, or the splice ends.
    package mutating func close() -> CloseAction {
        switch halfClose {
        case .immediate: return .close
        case .afterPendingWrites: return .closeAfterPendingWrites
        case .eofOnceNotAfterPeer: return .closeAfterOutputEnd(endOutput())
        }
    }
}

// MARK: Failure

extension RelayStateMachine {
    /// Whether the splice failed or this side closed.
    package var isStopped: Bool { stopped }

    /// The splice failed (a stage could not record, a decision could not be audited) or this channel closed:
    /// what waited is dropped, a pending decision is ignored, and nothing read from now on is relayed.
    package mutating func stop() {
        stopped = true
        holding = false
        queue.removeAll()
    }
}

// MARK: Equatable, for tests

extension RelayStateMachine.MessageAction: Equatable where Message: Equatable {}

extension RelayStateMachine.HeldAction: Equatable where Message: Equatable {}
