import NIOCore

/// Counts the bytes a channel reads, for traffic totals, without touching them.
final class ByteCounter: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    // Touched only on the channel's event loop.
    private(set) var bytes = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        bytes += unwrapInboundIn(data).readableBytes
        context.fireChannelRead(data)
    }
}

/// A connection's two counters, client side and target side, and the totals they add up to once it is over.
struct TrafficCounters: Sendable {
    let client = ByteCounter()
    let target = ByteCounter()

    /// Waits until `channel` (the target side, which the relay closes when the client goes) is closed, then reads
    /// the totals on the event loop that updates them.
    func counts(after channel: (any Channel)?, on eventLoop: any EventLoop) async -> TrafficCounts {
        try? await channel?.closeFuture.get()
        let (client, target) = (self.client, self.target)
        return (try? await eventLoop.submit { TrafficCounts(up: client.bytes, down: target.bytes) }.get())
            ?? TrafficCounts(up: 0, down: 0)
    }
}
