import NIOCore

/// Sits at the head end of an embedded channel's pipeline and records what the splice asks of the channel: reads,
/// half-closes (which `EmbeddedChannel` cannot do: it would close fully) and closes. It can also keep writes
/// pending, to see what waits for them.
final class ChannelProbe: ChannelOutboundHandler {
    typealias OutboundIn = Any

    private(set) var reads = 0
    private(set) var outputClosed = false
    private(set) var closed = false
    /// While set, writes pass on but report completion only at `completeWrites()`.
    var keepWritesPending = false
    private var pendingWrites: [EventLoopPromise<Void>?] = []

    func read(context: ChannelHandlerContext) {
        reads += 1
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard keepWritesPending else {
            context.write(data, promise: promise)
            return
        }
        pendingWrites.append(promise)
        context.write(data, promise: nil)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .output else {
            closed = true
            context.close(mode: mode, promise: promise)
            return
        }
        outputClosed = true
        promise?.succeed()
    }

    func completeWrites() {
        keepWritesPending = false
        let promises = pendingWrites
        pendingWrites = []
        for promise in promises { promise?.succeed() }
    }
}

extension ByteBuffer {
    var text: String { String(buffer: self) }
}
