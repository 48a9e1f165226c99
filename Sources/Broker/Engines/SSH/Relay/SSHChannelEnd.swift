import NIOCore
import NIOSSH

/// One end of a relayed SSH channel: the handler in the client's channel or in the target's. It hands everything
/// it sees to the splice that joins the two ends, performs what the splice asks of its channel, and reads only when
/// the splice allows (so a slow side or a pending decision stops the other side's reads: backpressure).
final class SSHChannelEnd: ChannelDuplexHandler {
    typealias InboundIn = SSHChannelData
    typealias OutboundIn = SSHChannelData
    typealias OutboundOut = SSHChannelData

    enum Side {
        case client
        case target
    }

    let side: Side
    var splice: SSHChannelSplice?
    private var context: ChannelHandlerContext?
    private var pendingRead = false
    /// EOF may be sent once (a second is a protocol violation); this completes when the one EOF has gone out.
    private var eofSent: EventLoopFuture<Void>?
    /// The SSH library refuses to send EOF once the peer has sent its own (it calls that out of sequence, and
    /// drops what was queued), so after the peer's EOF the end of output is marked by the channel close alone.
    private var peerSentEOF = false
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
        splice?.received(unwrapInboundIn(data), from: side)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        splice?.readComplete(from: side)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let channelEvent = event as? ChannelEvent, channelEvent == .inputClosed { peerSentEOF = true }
        guard let splice, splice.handle(event, from: side) else {
            context.fireUserInboundEventTriggered(event)
            return
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
        if splice?.mayRead(side) ?? true {
            context.read()
        } else {
            pendingRead = true
        }
    }

    // MARK: Asked by the splice

    var isWritable: Bool { context?.channel.isWritable ?? false }

    var isActive: Bool { context?.channel.isActive ?? false }

    func resumeReading() {
        guard pendingRead, let context else { return }
        pendingRead = false
        context.read()
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

    func send(_ event: Any) {
        context?.triggerUserOutboundEvent(event, promise: nil)
    }

    /// Sends EOF after whatever is queued.
    func closeOutput() {
        guard eofSent == nil, let context else { return }
        if peerSentEOF {
            eofSent = lastWrite ?? context.eventLoop.makeSucceededVoidFuture()
        } else {
            eofSent = context.close(mode: .output)
        }
    }

    /// EOF first, so data still waiting for the peer's window goes out, then the channel close.
    func closeAfterOutput() {
        guard let context else { return }
        closeOutput()
        (eofSent ?? context.eventLoop.makeSucceededVoidFuture()).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
