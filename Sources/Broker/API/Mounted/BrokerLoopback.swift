/// How a mounted route reaches the broker that serves it: the API on a loopback address, verified against the
/// certificates the broker itself presents (its served chain), so the route needs no trust store of its own.
package struct BrokerLoopback: Sendable {
    /// `https://127.0.0.1:PORT` (or the listen address when it is a single host).
    package let url: String
    /// The served certificate chain as PEM, leaf first.
    package let certificateChainPEM: String
}
