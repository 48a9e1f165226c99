import NIOCore

/// Tells the connection's guardrail gate the moment the client is gone: its input ended (a client killed, a driver
/// that closed) or its channel closed. The relay keeps a client's end of input queued behind a statement held for
/// approval, so without this the statement would still run once approved, for a client nobody serves any more.
final class ClientDeparture: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let gate: GuardrailGate

    init(gate: GuardrailGate) {
        self.gate = gate
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            gate.clientLeft()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        gate.clientLeft()
        context.fireChannelInactive()
    }
}
