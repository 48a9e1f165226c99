import NIOCore
import NIOSSL
import Splice

/// One half of a splice between two channels on the same event loop: what one side reads (`Inbound`) passes a
/// `RelayStage` and is written to the other side, which reads `Outbound` and writes `Inbound` back. The TCP engine
/// relays bytes; protocol engines relay decoded messages so their stages can judge, rewrite or answer them.
///
/// Reads are paused while the partner cannot take more (writability backpressure), half-closes are passed on, and a
/// stage that throws (a recording that failed) closes both channels rather than relay anything unrecorded. A stage
/// may also hold a message (a statement waiting for approval): this direction then stops reading, keeps what it
/// already read in order, and resumes once the stage's decision arrives. That flow state lives in `flow`; this
/// handler performs what it decides.
final class RelayHandler<Inbound, Outbound>: ChannelDuplexHandler {
    typealias InboundIn = Inbound
    typealias OutboundIn = Outbound
    typealias OutboundOut = Outbound

    private var partner: RelayHandler<Outbound, Inbound>?
    private var context: ChannelHandlerContext?
    private let stage: any RelayStage<Inbound, Outbound>
    /// Both channels' pipelines keep earlier writes ahead of a close (encoders, TLS), so half-closes are immediate.
    private var flow = RelayStateMachine<Inbound>(halfClose: .immediate)

    private init(stage: any RelayStage<Inbound, Outbound>) {
        self.stage = stage
    }

    /// Two handlers wired to each other: add the first to one channel and the second to the other.
    static func matchedPair(
        _ first: any RelayStage<Inbound, Outbound>,
        _ second: any RelayStage<Outbound, Inbound>
    ) -> (RelayHandler<Inbound, Outbound>, RelayHandler<Outbound, Inbound>) {
        let one = RelayHandler<Inbound, Outbound>(stage: first)
        let other = RelayHandler<Outbound, Inbound>(stage: second)
        one.partner = other
        other.partner = one
        return (one, other)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
        flow.stop()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch flow.messageRead(unwrapInboundIn(data)) {
        case .process(let message): handle(message, context: context)
        case .queued, .discard: break
        }
    }

    private func handle(_ message: Inbound, context: ChannelHandlerContext) {
        let verdict: RelayVerdict<Inbound, Outbound>
        do {
            verdict = try stage.process(message)
        } catch {
            fail(error, context: context)
            return
        }
        apply(verdict, context: context)
    }

    private func apply(_ verdict: RelayVerdict<Inbound, Outbound>, context: ChannelHandlerContext) {
        switch verdict {
        case .forward(let messages):
            for message in messages { partner?.partnerWrite(message) }
        case .answer(let messages):
            for message in messages { context.write(wrapOutboundOut(message), promise: nil) }
            context.flush()
        case .hold(let notify, let decision):
            for message in notify { context.write(wrapOutboundOut(message), promise: nil) }
            context.flush()
            guard flushPartner(context: context) else { return }
            // Stages decide on the connection's own loop (see `RelayVerdict.hold`); anything else is a defect,
            // and the relay fails closed rather than touch the channel from another thread.
            guard decision.eventLoop === context.eventLoop else {
                fail(RelayDecisionOffLoop(), context: context)
                return
            }
            flow.holdBegan()
            decision.assumeIsolated().whenComplete { result in
                // The channel may have closed while the decision was pending; then there is nobody to tell.
                guard self.flow.holdEnded() == .apply, let context = self.context else { return }
                switch result {
                case .success(let next):
                    self.apply(next, context: context)
                case .failure(let error):
                    self.fail(error, context: context)
                    return
                }
                self.drainQueue(context: context)
            }
        }
    }

    /// Handles what arrived during a hold, in order, until the queue is empty or another hold begins.
    private func drainQueue(context: ChannelHandlerContext) {
        while true {
            switch flow.nextHeld(partnerWritable: partner?.partnerWritable ?? false) {
            case .process(let message):
                handle(message, context: context)
            case .passEndOfInput:
                passEndOfInput(context: context)
            case .holding:
                flushPartner(context: context)
                return
            case .drained(let resumeReading):
                guard flushPartner(context: context) else { return }
                if resumeReading { context.read() }
                return
            case .stopped:
                return
            }
        }
    }

    /// Ends the partner's output, after what the stage kept back.
    private func passEndOfInput(context: ChannelHandlerContext) {
        guard flushPartner(context: context) else { return }
        partner?.partnerWriteEOF()
    }

    /// A stage that cannot go on (its recording failed, its decision could not be audited) ends the relay; the
    /// stage first tells either side why, in its protocol's words.
    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        flow.stop()
        stage.failed(error)
        sayFarewell(after: error, context: context)
        context.close(promise: nil)
        partner?.partnerClose()
    }

    private func sayFarewell(after error: any Error, context: ChannelHandlerContext) {
        switch stage.farewell(after: error) {
        case .forward(let messages) where !messages.isEmpty:
            for message in messages { partner?.partnerWrite(message) }
            partner?.partnerFlush()
        case .answer(let messages) where !messages.isEmpty:
            for message in messages { context.write(wrapOutboundOut(message), promise: nil) }
            context.flush()
        default:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushPartner(context: context)
    }

    /// Sends what the stage kept back to record together, then flushes the other side; false when the stage could
    /// not record it (the relay is then closed).
    @discardableResult
    private func flushPartner(context: ChannelHandlerContext) -> Bool {
        do {
            for message in try stage.drain() { partner?.partnerWrite(message) }
        } catch {
            fail(error, context: context)
            return false
        }
        partner?.partnerFlush()
        return true
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.partnerClose()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event, flow.endOfInput() == .pass {
            passEndOfInput(context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// A failure on this side (undecodable bytes, a TLS error) ends the relay; the stage may first tell either
    /// side why, in its protocol's words.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A TLS peer that closes without close_notify has simply gone; there is nothing to tell anyone.
        if let tlsError = error as? NIOSSLError, tlsError == .uncleanShutdown {
            context.close(promise: nil)
            partner?.partnerClose()
            return
        }
        fail(error, context: context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        partner?.partnerBecameWritable(context.channel.isWritable)
    }

    func read(context: ChannelHandlerContext) {
        if flow.readRequested(partnerWritable: partner?.partnerWritable ?? false) == .read {
            context.read()
        }
    }

    // MARK: Calls from the partner

    private var partnerWritable: Bool { context?.channel.isWritable ?? false }

    private func partnerWrite(_ message: Outbound) {
        context?.write(wrapOutboundOut(message), promise: nil)
    }

    private func partnerFlush() {
        context?.flush()
    }

    private func partnerWriteEOF() {
        // The immediate rule answers `.halfClose` once, then `.none`.
        guard let context, flow.endOutput() != .none else { return }
        context.close(mode: .output).assumeIsolated().whenFailure { _ in context.close(promise: nil) }
    }

    /// The immediate rule closes at once.
    private func partnerClose() {
        context?.close(promise: nil)
    }

    private func partnerBecameWritable(_ writable: Bool) {
        guard let context, flow.partnerWritabilityChanged(writable: writable) == .read else { return }
        context.read()
    }
}

/// A stage answered `.hold` with a decision that completes on another event loop.
struct RelayDecisionOffLoop: Error, CustomStringConvertible {
    var description: String { "a relay stage decided off the connection's event loop" }
}

/// What a stage decides about one message read from its side.
enum RelayVerdict<Inbound, Outbound> {
    /// Send these to the other side (usually the message itself; a masking stage sends a rewritten one).
    case forward([Inbound])
    /// Send these back to this side instead (a refusal the engine answers itself).
    case answer([Outbound])
    /// Send `notify` back to this side now, stop reading from it, and act on `decision`'s verdict once it arrives
    /// (a statement waiting for approval). The decision completes on the connection's event loop; a failed decision,
    /// or one from another loop, closes the relay.
    case hold(notify: [Outbound], decision: EventLoopFuture<RelayVerdict<Inbound, Outbound>>)
}

/// The shared pipeline stages of a relay direction (classify, policy, mask, record), seen from one side.
protocol RelayStage<Inbound, Outbound>: Sendable {
    associatedtype Inbound
    associatedtype Outbound
    func process(_ message: Inbound) throws -> RelayVerdict<Inbound, Outbound>
    /// Messages the stage kept back so it could record them together, called at the end of each read burst and
    /// before end of input, before the other side is flushed: what the stage returns is recorded already.
    func drain() throws -> [Inbound]
    func failed(_ error: any Error)
    /// What to say, and to which side, before the relay closes because of `error`.
    func farewell(after error: any Error) -> RelayVerdict<Inbound, Outbound>
}

extension RelayStage {
    /// Most stages record each message as it passes and keep nothing back.
    func drain() throws -> [Inbound] { [] }

    /// Byte relays have no words for an error: they just close.
    func farewell(after error: any Error) -> RelayVerdict<Inbound, Outbound> { .forward([]) }
}
