import NIOCore
import NIOSSH
import Splice

/// One end of a relayed SSH channel: the handler in the client's channel or in the target's. It hands everything
/// it sees to the splice that joins the two ends, performs what the splice asks of its channel, and reads only when
/// its flow allows (so a slow side or a pending decision stops the other side's reads: backpressure).
final class SSHChannelEnd: ChannelDuplexHandler {
    typealias InboundIn = SSHChannelData
    typealias OutboundIn = SSHChannelData
    typealias OutboundOut = SSHChannelData

    enum Side {
        case client
        case target
    }

    /// What the channel reads: data, or a request or answer that must keep its place among the data.
    enum Input {
        case data(SSHChannelData)
        case event(Any)
    }

    let side: Side
    var splice: SSHChannelSplice?
    private var context: ChannelHandlerContext?
    /// Reads, the input held behind a command awaiting judgement, and how this channel's output may end: EOF once,
    /// never after the peer's own (the SSH library calls that out of sequence and drops what was queued).
    private var flow = RelayStateMachine<Input>(halfClose: .eofOnceNotAfterPeer)
    /// Completes when this channel's output has ended: the one EOF went out, or (after the peer's EOF) what was
    /// written before has been handed to the connection.
    private var outputEnded: EventLoopFuture<Void>?
    /// Completes when everything written so far has been handed to the connection.
    private var lastWrite: EventLoopFuture<Void>?

    init(side: Side) {
        self.side = side
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        splice = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch flow.messageRead(.data(unwrapInboundIn(data))) {
        case .process(.data(let data)): splice?.received(data, from: side)
        case .process(.event), .queued, .discard: break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        splice?.readComplete(from: side)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard admit(event) else { return }
        guard let splice, splice.handle(event, from: side) else {
            context.fireUserInboundEventTriggered(event)
            return
        }
    }

    /// Whether the event goes on now: false when it waits behind a held command or the splice stopped.
    private func admit(_ event: Any) -> Bool {
        if let channelEvent = event as? ChannelEvent, channelEvent == .inputClosed {
            // The peer's EOF decides at once how this channel's output may end, even while its relay waits.
            return flow.endOfInput() == .pass || splice == nil
        }
        guard SSHChannelSplice.keepsItsPlace(event) else { return true }
        switch flow.messageRead(.event(event)) {
        case .process: return true
        case .queued: return false
        case .discard: return splice == nil
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        splice?.closed(side)
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        splice?.writabilityChanged(side, writable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        splice?.failed(side, error)
        context.close(promise: nil)
    }

    func read(context: ChannelHandlerContext) {
        if flow.readRequested(partnerWritable: splice?.partnerIsWritable(side) ?? true) == .read {
            context.read()
        }
    }

    // MARK: Asked by the splice

    var isWritable: Bool { context?.channel.isWritable ?? false }

    var isActive: Bool { context?.channel.isActive ?? false }

    /// The other end's writability changed: a read that waited for it goes on.
    func partnerWritabilityChanged(_ writable: Bool) {
        guard let context, flow.partnerWritabilityChanged(writable: writable) == .read else { return }
        context.read()
    }

    /// A command awaits judgement: reads stop, and what arrives meanwhile waits in order.
    func holdInput() {
        flow.holdBegan()
    }

    /// The judgement arrived; false when the splice stopped meanwhile.
    func endHold() -> Bool {
        flow.holdEnded() == .apply
    }

    /// What to do next with the input that waited; see `RelayStateMachine.nextHeld`.
    func nextHeld(partnerWritable: Bool) -> RelayStateMachine<Input>.HeldAction {
        flow.nextHeld(partnerWritable: partnerWritable)
    }

    /// The held command was refused: what waited behind it is dropped.
    func dropHeld() {
        flow.dropHeld()
    }

    /// Nothing this end reads from now on is relayed, and what waited is dropped.
    func stopRelaying() {
        flow.stop()
    }

    func read() {
        context?.read()
    }

    func write(_ data: SSHChannelData) {
        guard let context else { return }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.write(wrapOutboundOut(data), promise: written)
        lastWrite = written.futureResult
    }

    func writeStandardError(_ text: String) {
        guard let context else { return }
        write(SSHChannelData(type: .stdErr, data: .byteBuffer(context.channel.allocator.buffer(string: text))))
        context.flush()
    }

    func flush() {
        context?.flush()
    }

    /// Completes when the channel has closed; nil once it is gone.
    var closed: EventLoopFuture<Void>? { context?.channel.closeFuture }

    func send(_ event: Any) {
        context?.triggerUserOutboundEvent(event, promise: nil)
    }

    /// Sends EOF after whatever is queued.
    func closeOutput() {
        guard let context else { return }
        endOutput(flow.endOutput(), context: context)
    }

    /// EOF first, so data still waiting for the peer's window goes out, then the channel close.
    func closeAfterOutput() {
        guard let context else { return }
        switch flow.close() {
        case .closeAfterOutputEnd(let end):
            endOutput(end, context: context)
            (outputEnded ?? context.eventLoop.makeSucceededVoidFuture()).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        case .close, .closeAfterPendingWrites:
            // Not the SSH rule; a close that waits for nothing.
            context.close(promise: nil)
        }
    }

    private func endOutput(_ action: RelayStateMachine<Input>.OutputEndAction, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .endWithoutEOF:
            outputEnded = lastWrite ?? context.eventLoop.makeSucceededVoidFuture()
        case .halfClose, .halfCloseAfterPendingWrites:
            // The channel queues EOF behind the data written before it.
            outputEnded = context.close(mode: .output)
        }
    }
}
