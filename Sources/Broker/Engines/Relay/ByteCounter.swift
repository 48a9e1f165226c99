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
    /// For engines that dial the target after the upgrade: waits until the connection has ended (`closed`), reads
    /// its target channel (if one was ever dialled) on the connection's loop, and waits for that to close too.
    func counts(
        when closed: EventLoopFuture<Void>, on eventLoop: (any EventLoop)?,
        target: @escaping @Sendable () -> (any Channel)?
    ) async -> TrafficCounts {
        try? await closed.get()
        guard let eventLoop else { return TrafficCounts(up: 0, down: 0) }
        let channel = try? await eventLoop.submit(target).get()
        return await counts(after: channel ?? nil, on: eventLoop)
    }

    func counts(after channel: (any Channel)?, on eventLoop: any EventLoop) async -> TrafficCounts {
        try? await channel?.closeFuture.get()
        let (client, target) = (self.client, self.target)
        return (try? await eventLoop.submit { TrafficCounts(up: client.bytes, down: target.bytes) }.get())
            ?? TrafficCounts(up: 0, down: 0)
    }
}
