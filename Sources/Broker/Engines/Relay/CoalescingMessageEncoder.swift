import NIOCore

/// Encodes outbound messages into one buffer per flush rather than one buffer per message.
///
/// With `MessageToByteHandler` every message (each row of a result set) becomes its own write, and on a TLS channel
/// its own TLS record: per-record framing, sealing and a buffer each. Coalescing them makes one write and a few large
/// records per read burst, which is most of what a large result costs to relay. At most `limit` bytes are held
/// before they are passed on (still unflushed), so memory stays bounded; nothing is ever sent earlier than a
/// `MessageToByteHandler` would send it.
final class CoalescingMessageEncoder<Encoder: MessageToByteEncoder>: ChannelOutboundHandler {
    typealias OutboundIn = Encoder.OutboundIn
    typealias OutboundOut = ByteBuffer

    static var limit: Int { 64 * 1024 }

    private var encoder: Encoder
    private var pending: ByteBuffer?
    private var promises: [EventLoopPromise<Void>] = []

    init(_ encoder: Encoder) {
        self.encoder = encoder
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var buffer = pending ?? context.channel.allocator.buffer(capacity: 1024)
        pending = nil
        let start = buffer.writerIndex
        do {
            try encoder.encode(data: unwrapOutboundIn(data), out: &buffer)
        } catch {
            buffer.moveWriterIndex(to: start)
            pending = buffer
            promise?.fail(error)
            context.fireErrorCaught(error)
            return
        }
        pending = buffer
        if let promise { promises.append(promise) }
        if buffer.readableBytes >= Self.limit { passOn(context: context) }
    }

    func flush(context: ChannelHandlerContext) {
        passOn(context: context)
        context.flush()
    }

    /// Half-closing (EOF after the last row) must not overtake what is held here.
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if mode == .output, pending != nil {
            passOn(context: context)
            context.flush()
        }
        context.close(mode: mode, promise: promise)
    }

    private func passOn(context: ChannelHandlerContext) {
        guard let buffer = pending, buffer.readableBytes > 0 else { return }
        pending = nil
        let waiting = promises
        promises.removeAll()
        guard !waiting.isEmpty else {
            context.write(wrapOutboundOut(buffer), promise: nil)
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenComplete { result in
            for promise in waiting { promise.completeWith(result) }
        }
        context.write(wrapOutboundOut(buffer), promise: written)
    }
}
