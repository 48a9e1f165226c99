import NIOCore
import NIOSSL
import Splice

/// Splices two channels on one event loop: bytes read on one side are written to the other, reads pause while the
/// other side cannot take more (backpressure), and end-of-input on one side half-closes the other. Half-closes and
/// closes wait until everything handed over has been written, so no byte is dropped when a side shuts down.
final class GlueHandler {
    private var partner: GlueHandler?
    private var context: ChannelHandlerContext?
    /// A socket whose output is shut down fails the writes still queued: half-closes wait for the last write.
    private var flow = RelayStateMachine<ByteBuffer>(halfClose: .afterPendingWrites)
    /// Completes once the last buffer handed over by the partner has been written to this side's channel.
    private var lastWrite: EventLoopFuture<Void>?
    /// Set once this handler left its pipeline, i.e. its channel is gone.
    private var isRemoved = false

    private init() {}

    /// Two handlers that know each other, one for each channel.
    static func matchedPair() -> (GlueHandler, GlueHandler) {
        let first = GlueHandler()
        let second = GlueHandler()
        first.partner = second
        second.partner = first
        return (first, second)
    }
}

// MARK: What the partner asks of this side

extension GlueHandler {
    private func partnerWrite(_ buffer: ByteBuffer) {
        guard let context else { return }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.write(self.wrapOutboundOut(buffer), promise: written)
        self.lastWrite = written.futureResult
    }

    private func partnerFlush() {
        self.context?.flush()
    }

    /// The partner's input ended: end this side's output once what was handed over is written.
    private func partnerWriteEOF() {
        guard let context else { return }
        switch self.flow.endOutput() {
        case .none:
            return
        case .halfClose, .halfCloseAfterPendingWrites, .endWithoutEOF:
            // The after-pending-writes rule answers `.halfCloseAfterPendingWrites` once, then `.none`.
            context.flush()
            let channel = context.channel
            self.afterPendingWrites { channel.close(mode: .output, promise: nil) }
        }
    }

    /// The partner's channel is gone: close this side once what was handed over is written.
    private func partnerCloseFull() {
        guard let context else { return }
        switch self.flow.close() {
        case .close, .closeAfterPendingWrites, .closeAfterOutputEnd:
            // The after-pending-writes rule always answers `.closeAfterPendingWrites`.
            context.flush()
            let channel = context.channel
            self.afterPendingWrites { channel.close(promise: nil) }
        }
    }

    private func partnerBecameWritable() {
        guard self.flow.partnerWritabilityChanged(writable: true) == .read else { return }
        self.context?.read()
    }

    /// Whether the partner may read. Before this side is added it may not (its bytes would have nowhere to go);
    /// once this side is gone it may, so the partner can drain its input and finish closing (a TLS close needs the
    /// peer's close_notify to be read).
    private var partnerWritable: Bool {
        guard let context else { return self.isRemoved }
        return context.channel.isWritable
    }

    private func afterPendingWrites(_ action: @escaping @Sendable () -> Void) {
        guard let lastWrite else { return action() }
        lastWrite.whenComplete { _ in action() }
    }
}

// MARK: ChannelDuplexHandler

extension GlueHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // The partner may have wanted to read before this side existed to say it could take the bytes.
        if context.channel.isWritable {
            self.partner?.partnerBecameWritable()
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.isRemoved = true
        // Nothing is held back for this side any more: let the partner read on to the end of its input.
        self.partner?.partnerBecameWritable()
        self.partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.flow.messageRead(self.unwrapInboundIn(data)) {
        case .process(let buffer): self.partner?.partnerWrite(buffer)
        case .queued, .discard: break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.partner?.partnerFlush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.partner?.partnerCloseFull()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event, self.flow.endOfInput() == .pass {
            self.partner?.partnerWriteEOF()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A TCP close without TLS close_notify: NIOSSL reports it, then signals end of input, which is handled
        // like any end of input so the bytes already received still reach the other side.
        if let error = error as? NIOSSLError, error == .uncleanShutdown {
            return
        }
        self.partner?.partnerCloseFull()
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            self.partner?.partnerBecameWritable()
        }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if self.flow.readRequested(partnerWritable: self.partner?.partnerWritable ?? false) == .read {
            context.read()
        }
    }
}
