import NIOCore

/// Holds the tunnel's first bytes until the SSH client can be installed. The SSH handler speaks as soon as it is
/// added, and nothing may be written while the HTTP upgrade is still finishing; but the broker's SSH greeting can
/// arrive in that moment. So the upgrade installs this gate, and `start` later puts the SSH handlers behind it,
/// hands them what arrived meanwhile, and steps out of the way.
final class SSHDeferredStart: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var buffered: [ByteBuffer] = []
    private var inactive = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        buffered.append(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        inactive = true
        context.fireChannelInactive()
    }

    /// Installs `handlers` after the gate, replays what was held, and removes the gate. On the channel's loop.
    func start(_ handlers: [any ChannelHandler], on channel: any Channel) throws {
        let context = try channel.pipeline.syncOperations.context(handler: self)
        try channel.pipeline.syncOperations.addHandlers(handlers, position: .after(self))
        for buffer in buffered { context.fireChannelRead(wrapInboundOut(buffer)) }
        buffered.removeAll()
        context.fireChannelReadComplete()
        if inactive { context.fireChannelInactive() }
        channel.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
