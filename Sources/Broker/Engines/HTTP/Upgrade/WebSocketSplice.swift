import HoopCore
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Turns a client connection and a target connection that both just completed a WebSocket handshake into a
/// relay of frames. Runs on their shared event loop: the `101` goes to the client, each side's HTTP handlers give
/// way to frame codecs and a `WebSocketRelayHandler`, and each HTTP decoder is removed last, handing over any bytes
/// that arrived behind the handshake.
enum WebSocketSplice {
    /// Handler names the client pipeline is built with, so the splice can take them out.
    enum ClientHandler {
        static let encoder = "http-encoder"
        static let decoder = "http-decoder"
        static let pipeline = "http-pipeline"
        static let collector = "http-collector"
    }

    /// The largest frame either side may send; bigger ones close the connection.
    static let largestFrame = 1 << 20

    static func splice(
        client: any Channel, target: any Channel, switching head: HTTPResponseHead,
        inspector: WebSocketFrameInspector, counted: @escaping @Sendable (Int, Bool) -> Void
    ) -> EventLoopFuture<Void> {
        client.eventLoop.flatSubmit {
            client.write(HTTPServerResponsePart.head(head), promise: nil)
            return client.writeAndFlush(HTTPServerResponsePart.end(nil))
                .flatMap { client.pipeline.syncOperations.removeHandler(name: ClientHandler.collector) }
                .flatMap { client.pipeline.syncOperations.removeHandler(name: ClientHandler.pipeline) }
                .flatMap { client.pipeline.syncOperations.removeHandler(name: ClientHandler.encoder) }
                .flatMapThrowing {
                    try addFrameRelay(to: client, direction: .up, peer: target, inspector: inspector) {
                        counted($0, true)
                    }
                }
                .flatMap { client.pipeline.syncOperations.removeHandler(name: ClientHandler.decoder) }
                .flatMap { remove(UpgradeAnswerReader.self, from: target) }
                .flatMap { remove(HTTPRequestEncoder.self, from: target) }
                .flatMap { remove(NIOHTTPRequestHeadersValidator.self, from: target) }
                .flatMapThrowing {
                    try addFrameRelay(to: target, direction: .down, peer: client, inspector: inspector) {
                        counted($0, false)
                    }
                }
                .flatMap { remove(ByteToMessageHandler<HTTPResponseDecoder>.self, from: target) }
        }
    }

    /// Frame codecs and the relay, at the end of `channel`'s pipeline.
    private static func addFrameRelay(
        to channel: any Channel, direction: RecordingDirection, peer: any Channel, inspector: WebSocketFrameInspector,
        counted: @escaping @Sendable (Int) -> Void
    ) throws {
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(WebSocketFrameEncoder())
        try operations.addHandler(ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: largestFrame)))
        try operations.addHandler(
            WebSocketRelayHandler(direction: direction, peer: peer, inspector: inspector, counted: counted))
    }

    private static func remove<Handler: ChannelHandler>(_ type: Handler.Type, from channel: any Channel)
        -> EventLoopFuture<Void>
    {
        let operations = channel.pipeline.syncOperations
        do {
            return operations.removeHandler(context: try operations.context(handlerType: type))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
    }
}
