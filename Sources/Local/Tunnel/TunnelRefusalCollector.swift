import NIOCore
import NIOHTTP1

/// Collects a non-101 answer to a tunnel request (status and a bounded body) so the broker's error can be shown,
/// then closes the connection: it can carry nothing else.
final class TunnelRefusalCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    /// Error bodies are small JSON documents; more than this is cut.
    static let maximumBodyBytes = 64 * 1024

    private let refusal: EventLoopPromise<TunnelRefusal>
    private var status: HTTPResponseStatus?
    private var body = ByteBuffer()

    init(refusal: EventLoopPromise<TunnelRefusal>) {
        self.refusal = refusal
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.status = head.status
        case .body(var part):
            let room = Self.maximumBodyBytes - self.body.readableBytes
            if room > 0, let slice = part.readSlice(length: min(room, part.readableBytes)) {
                self.body.writeImmutableBuffer(slice)
            }
        case .end:
            self.finish()
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.finish()
        context.close(promise: nil)
    }

    private func finish() {
        guard let status else {
            self.refusal.fail(ChannelError.eof)
            return
        }
        self.refusal.succeed(TunnelRefusal(status: status, body: self.body))
    }
}
