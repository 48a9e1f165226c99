package import HoopCore
package import NIOCore

/// Where a remote command's input comes from and its output goes: the process's own standard streams for
/// `hoopctl exec`, or a capture for callers whose stdout is not the user's (the MCP server speaks its protocol
/// there, and its stdin carries the agent's requests, never a command's input).
package struct CommandStreams: Sendable {
    /// Whether our standard input is streamed to the command; otherwise it gets EOF at once.
    package var readsStandardInput: Bool
    /// Called on the connection's event loop with each piece of output, in order, as it arrives.
    package var write: @Sendable (StandardStream, ByteBufferView) -> Void

    package init(readsStandardInput: Bool, write: @escaping @Sendable (StandardStream, ByteBufferView) -> Void) {
        self.readsStandardInput = readsStandardInput
        self.write = write
    }

    /// Our stdin to the command, its stdout and stderr to ours. The write blocks the event loop while the reader
    /// of our output is slow, which in turn stops reading from the tunnel: backpressure all the way back. A reader
    /// that left makes the rest of the output go nowhere.
    package static let standard = CommandStreams(readsStandardInput: true) { stream, bytes in
        stream.write(bytes)
    }
}
