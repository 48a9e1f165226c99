import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Opens a connection of its own to the target for one upgrade request (a WebSocket handshake), on the client's
/// event loop so the two pipelines can later be rewired together, and sends the handshake. The answer's head comes
/// back through `answer`; after a `101` the HTTP decoder holds whatever follows until it is removed, so no frame
/// the target sends at once is lost.
enum HTTPUpgradeDial {
    /// The target's answer to the handshake: its head, and (for anything but 101) its body.
    struct Answer: Sendable {
        var head: HTTPResponseHead
        var body: ByteBuffer
    }

    static func open(
        host: String, port: Int, tls: TLSConfiguration?, on eventLoop: any EventLoop, request: HTTPRequestHead
    ) async throws -> (channel: any Channel, answer: Answer) {
        let answer = eventLoop.makePromise(of: Answer.self)
        let context = try tls.map { tls in
            var configuration = tls
            // The upgrade is an HTTP/1.1 mechanism: HTTP/2 has none of it.
            configuration.applicationProtocols = ["http/1.1"]
            return try NIOSSLContext(configuration: configuration)
        }
        let channel = try await ClientBootstrap(group: eventLoop)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    if let context {
                        try operations.addHandler(
                            try NIOSSLClientHandler(
                                context: context, serverHostname: IPAddressBytes(host) == nil ? host : nil))
                    }
                    try operations.addHTTPClientHandlers(leftOverBytesStrategy: .forwardBytes)
                    try operations.addHandler(UpgradeAnswerReader(answer: answer))
                }
            }
            .connect(host: host, port: port)
            .get()
        channel.closeFuture.whenComplete { _ in answer.fail(ChannelError.eof) }
        channel.write(HTTPClientRequestPart.head(request), promise: nil)
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
        return (channel, try await answer.futureResult.get())
    }
}

/// Reads the target's answer to a handshake: a `101` completes at its head (what follows is no longer HTTP), any
/// other answer at its end, body included, so the client can be told what the target said.
final class UpgradeAnswerReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    /// The largest refusal body kept for the client.
    private static let largestBody = 1 << 20

    private let answer: EventLoopPromise<HTTPUpgradeDial.Answer>
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()

    init(answer: EventLoopPromise<HTTPUpgradeDial.Answer>) {
        self.answer = answer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head) where head.status == .switchingProtocols:
            answer.succeed(HTTPUpgradeDial.Answer(head: head, body: ByteBuffer()))
        case .head(let head):
            self.head = head
        case .body(var bytes):
            if body.readableBytes + bytes.readableBytes <= Self.largestBody { body.writeBuffer(&bytes) }
        case .end:
            if let head { answer.succeed(HTTPUpgradeDial.Answer(head: head, body: body)) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        answer.fail(error)
        context.close(promise: nil)
    }
}
