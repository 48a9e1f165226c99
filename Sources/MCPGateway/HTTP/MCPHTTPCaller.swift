/// Who sent a request to the broker's `/mcp`, as the broker verified it, and how to reach the broker as them.
package struct MCPHTTPCaller: Sendable {
    /// Stable for one identity (issuer and subject): an MCP session is served only to the identity that opened it.
    package let identity: String
    /// The bearer token of this request; the session acts with the latest one its owner sent.
    package let bearer: String
    /// The broker's API on loopback, `https://127.0.0.1:PORT`.
    package let brokerURL: String
    /// The certificate chain the broker serves, as PEM: what the session verifies the broker by.
    package let brokerChainPEM: String

    package init(identity: String, bearer: String, brokerURL: String, brokerChainPEM: String) {
        self.identity = identity
        self.bearer = bearer
        self.brokerURL = brokerURL
        self.brokerChainPEM = brokerChainPEM
    }
}
