import NIOCore
import NIOSSH

/// Answers a client's `tcpip-forward` and `cancel-tcpip-forward` requests: refused unless the resource allows port
/// forwarding, in which case the same request is made of the target, and its answer (with the port it bound) is
/// the client's.
struct SSHForwardingRequests: GlobalRequestDelegate, @unchecked Sendable {
    // Used only on the connection's event loop.
    let connection: PreparedSSHConnection

    func tcpForwardingRequest(
        _ request: GlobalRequest.TCPForwardingRequest,
        handler: NIOSSHHandler,
        promise: EventLoopPromise<GlobalRequest.TCPForwardingResponse>
    ) {
        connection.forwardingRequested(request, promise: promise)
    }
}
