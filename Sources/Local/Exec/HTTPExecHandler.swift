import Foundation
import HoopCore
import NIOCore
import NIOHTTP1

/// How the one request of an http exec ended.
enum HTTPExecAnswer: Sendable {
    /// The target answered; its body went to stdout as it arrived.
    case answered(HTTPResponseStatus)
    /// The broker answered in the target's place (`Hoop-Refusal`): its kind, message and approval id.
    case refused(kind: String, message: String, approval: Int64?)
}

/// Reads the response of an http exec: a target's body is streamed to stdout; a broker refusal is collected and
/// read for its message, which goes to stderr instead.
final class HTTPExecHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let answer: EventLoopPromise<HTTPExecAnswer>
    private let streams: CommandStreams
    private var status: HTTPResponseStatus?
    /// Set when the broker refused: the refusal's body is collected here instead of being written out.
    private var refusal: (kind: String, body: ByteBuffer)?

    init(answer: EventLoopPromise<HTTPExecAnswer>, streams: CommandStreams) {
        self.answer = answer
        self.streams = streams
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status
            if let kind = head.headers.first(name: "Hoop-Refusal") {
                refusal = (kind, context.channel.allocator.buffer(capacity: 256))
            }
        case .body(var bytes):
            if refusal != nil {
                refusal?.body.writeBuffer(&bytes)
            } else {
                streams.write(.output, bytes.readableBytesView)
            }
        case .end:
            if let refusal {
                let account = try? JSONDecoder().decode(RefusalAccount.self, from: Data(refusal.body.readableBytesView))
                answer.succeed(
                    .refused(
                        kind: refusal.kind, message: account?.error.message ?? "the broker refused the request",
                        approval: account?.error.approval_id))
            } else {
                answer.succeed(.answered(status ?? .ok))
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        answer.fail(LocalError(.tunnel, "the response could not be read: \(error)"))
        context.close(promise: nil)
    }

    /// The broker's JSON account of a refusal.
    private struct RefusalAccount: Decodable {
        struct Body: Decodable {
            var message: String
            // swift-format-ignore: AlwaysUseLowerCamelCase
            var approval_id: Int64?
        }
        var error: Body
    }
}
