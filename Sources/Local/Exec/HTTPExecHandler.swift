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
    private var refusal: (kind: String, approval: Int64?, body: ByteBuffer)?

    init(answer: EventLoopPromise<HTTPExecAnswer>, streams: CommandStreams) {
        self.answer = answer
        self.streams = streams
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status
            if let kind = head.headers.first(name: "Hoop-Refusal") {
                let approval = head.headers.first(name: "Hoop-Approval").flatMap { Int64($0) }
                refusal = (kind, approval, context.channel.allocator.buffer(capacity: 256))
            }
        case .body(var bytes):
            if refusal != nil {
                refusal?.body.writeBuffer(&bytes)
            } else {
                streams.write(.output, bytes.readableBytesView)
            }
        case .end:
            if let refusal {
                let body = Data(refusal.body.readableBytesView)
                let account = try? JSONDecoder().decode(RefusalAccount.self, from: body)
                // A Kubernetes resource answers with a Status object; its approval id is in the response header.
                let status = try? JSONDecoder().decode(RefusalStatus.self, from: body)
                answer.succeed(
                    .refused(
                        kind: refusal.kind,
                        message: account?.error.message ?? status?.message ?? "the broker refused the request",
                        approval: account?.error.approval_id ?? refusal.approval))
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

    /// A Kubernetes `Status` object's message.
    private struct RefusalStatus: Decodable {
        var message: String
    }
}
