import NIOCore

/// One half of a splice between two channels on the same event loop: what one side reads, the other writes.
///
/// Reads are paused while the partner cannot take more (writability backpressure), half-closes are passed on, and
/// every inbound buffer is first shown to a `TrafficTap` — if the tap throws (the recording failed), both channels
/// close rather than relay bytes that were not recorded.
final class RelayHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var partner: RelayHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false
    private let tap: any TrafficTap
    private(set) var bytesRead = 0

    private init(tap: any TrafficTap) {
        self.tap = tap
    }

    /// Two handlers wired to each other: add the first to one channel and the second to the other.
    static func matchedPair(firstTap: any TrafficTap, secondTap: any TrafficTap) -> (RelayHandler, RelayHandler) {
        let first = RelayHandler(tap: firstTap)
        let second = RelayHandler(tap: secondTap)
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        bytesRead += buffer.readableBytes
        do {
            try tap.observe(buffer)
        } catch {
            tap.failed(error)
            context.close(promise: nil)
            partner?.partnerClose()
            return
        }
        partner?.partnerWrite(buffer)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.partnerFlush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.partnerClose()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            partner?.partnerWriteEOF()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        partner?.partnerBecameWritable(context.channel.isWritable)
    }

    func read(context: ChannelHandlerContext) {
        if let partner, partner.partnerWritable {
            context.read()
        } else {
            pendingRead = true
        }
    }

    // MARK: Calls from the partner

    private var partnerWritable: Bool { context?.channel.isWritable ?? false }

    private func partnerWrite(_ buffer: ByteBuffer) {
        context?.write(wrapOutboundOut(buffer), promise: nil)
    }

    private func partnerFlush() {
        context?.flush()
    }

    private func partnerWriteEOF() {
        guard let context else { return }
        context.close(mode: .output).whenFailure { _ in context.close(promise: nil) }
    }

    private func partnerClose() {
        context?.close(promise: nil)
    }

    private func partnerBecameWritable(_ writable: Bool) {
        guard writable, pendingRead, let context else { return }
        pendingRead = false
        context.read()
    }
}

/// Sees every buffer one side of a relay reads, before it is forwarded.
protocol TrafficTap: Sendable {
    func observe(_ buffer: ByteBuffer) throws
    func failed(_ error: any Error)
}
