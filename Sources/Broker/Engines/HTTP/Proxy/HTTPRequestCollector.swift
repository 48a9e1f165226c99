import NIOCore
import NIOHTTP1

/// One request from the local client, read whole: the broker judges the body and binds approvals to it.
struct HTTPCollectedRequest: Sendable {
    var head: HTTPRequestHead
    var body: ByteBuffer
}

/// Reads each request the local client sends and hands it whole to the proxy. `HTTPServerPipelineHandler` before it
/// holds back pipelined requests until the previous response has ended, so requests reach the proxy one at a time
/// and responses leave in order. A body over the resource's limit and unreadable framing are answered
/// here, and the connection ends: the rest of what the client sends cannot be read safely. An upgrade request
/// (WebSocket) is delivered like any other; the proxy splices the connection if the target switches.
final class HTTPRequestCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart

    private let proxy: HTTPProxy
    private let limit: Int
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    /// Set once the connection is being ended for a problem: nothing more it sends is read.
    private var ending = false

    init(proxy: HTTPProxy, limit: Int) {
        self.proxy = proxy
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !ending else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            let declared = head.headers[canonicalForm: "content-length"].first.flatMap { Int($0) } ?? 0
            if declared > limit {
                end(context, Self.tooLarge(limit), head)
                return
            }
            self.head = head
            body = context.channel.allocator.buffer(capacity: declared)
        case .body(var chunk):
            guard body.readableBytes + chunk.readableBytes <= limit else {
                end(context, Self.tooLarge(limit), head)
                return
            }
            body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            self.head = nil
            let request = HTTPCollectedRequest(head: head, body: body)
            body = ByteBuffer()
            let proxy = self.proxy
            proxy.accepted()
            Task { await proxy.handle(request) }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            proxy.inputClosed()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        proxy.clientLeft()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !ending else { return }
        guard error is HTTPParserError else {
            // The connection itself failed (a reset): there is no one to answer.
            ending = true
            context.close(promise: nil)
            return
        }
        end(context, HTTPRequestProblem(.malformed, "the request is not well-formed HTTP/1.1 (\(error))"), head)
    }

    private func end(_ context: ChannelHandlerContext, _ problem: HTTPRequestProblem, _ head: HTTPRequestHead?) {
        ending = true
        let proxy = self.proxy
        let version = head?.version ?? .http1_1
        Task { await proxy.answerAndClose(problem, version: version) }
    }

    private static func tooLarge(_ limit: Int) -> HTTPRequestProblem {
        HTTPRequestProblem(.bodyTooLarge, "the request body is larger than this resource's \(limit)-byte limit")
    }
}
