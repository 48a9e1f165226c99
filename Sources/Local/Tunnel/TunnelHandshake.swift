import NIOCore
import NIOHTTP1

/// How the broker answered a tunnel request.
enum TunnelHandshake: Sendable {
    /// `101 Switching Protocols`: the connection now carries the client's bytes, spliced to the local connection.
    case spliced
    /// Any other status; the future completes with the answer once its body has arrived.
    case refused(EventLoopFuture<TunnelRefusal>)
}

/// A tunnel request the broker turned down, with its JSON error body.
struct TunnelRefusal: Sendable {
    var status: HTTPResponseStatus
    var body: ByteBuffer
}
