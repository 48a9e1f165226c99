import Hummingbird
import NIOCore

/// Hummingbird's request context plus the peer's address, which the authenticator needs to hold garbage tokens to
/// account per source.
struct BrokerRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The peer's IP address, which is what a limit can hold on to (ports change per connection).
    var sourceAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
