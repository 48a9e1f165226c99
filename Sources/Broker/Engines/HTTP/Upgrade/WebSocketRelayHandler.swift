import HoopCore
import NIOCore
import NIOWebSocket

/// One side of a relayed WebSocket: frames read here are inspected and written to the other side, re-framed (the
/// client's frames arrive masked and leave masked with a fresh key, as a client's must; the target's leave
/// unmasked). Control frames pass as they are. Either side closing closes the other; a message that cannot be
/// recorded ends both (fail closed).
final class WebSocketRelayHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame

    private let direction: RecordingDirection
    private let peer: any Channel
    private let inspector: WebSocketFrameInspector
    private let counted: @Sendable (Int) -> Void

    init(
        direction: RecordingDirection, peer: any Channel, inspector: WebSocketFrameInspector,
        counted: @escaping @Sendable (Int) -> Void
    ) {
        self.direction = direction
        self.peer = peer
        self.inspector = inspector
        self.counted = counted
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        var payload = frame.unmaskedData
        switch frame.opcode {
        case .text, .binary, .continuation:
            do {
                payload = try inspector.pass(payload, opcode: frame.opcode, direction: direction)
            } catch {
                context.close(promise: nil)
                peer.close(promise: nil)
                return
            }
            counted(payload.readableBytes)
        default:
            break
        }
        let out = WebSocketFrame(
            fin: frame.fin, opcode: frame.opcode, maskKey: direction == .up ? .random() : nil, data: payload)
        peer.writeAndFlush(out, promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        peer.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
        peer.close(promise: nil)
    }
}
