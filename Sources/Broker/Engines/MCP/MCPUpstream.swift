import Foundation

/// The broker's connection to an upstream MCP server: messages out, and the stream of what it sends back. Both
/// transports deliver whole messages, so the proxy never sees framing.
protocol MCPUpstream: Sendable {
    /// What the upstream sends, message by message; it finishes when the upstream goes away.
    var messages: AsyncStream<Data> { get }
    func send(_ message: Data) async
    func close() async
}
