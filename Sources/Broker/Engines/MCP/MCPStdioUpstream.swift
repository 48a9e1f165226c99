import Foundation
import Logging
import NIOCore
import NIOPosix

/// An upstream MCP server the broker runs as a child process, one per client connection, speaking MCP on its
/// standard input and output. It gets only `PATH`, `HOME`, `LANG` and the resource's `environment`, never the
/// broker's own environment (which holds other targets' secrets); its standard error goes to the broker's log.
final class MCPStdioUpstream: MCPUpstream, @unchecked Sendable {
    // Set once in `launch`, read-only afterwards.
    private let process: Process
    private let channel: any Channel
    let messages: AsyncStream<Data>

    private init(process: Process, channel: any Channel, messages: AsyncStream<Data>) {
        self.process = process
        self.channel = channel
        self.messages = messages
    }

    static func launch(
        arguments: [String], environment: [String: String], on eventLoop: any EventLoop, logger: Logger
    ) async throws -> MCPStdioUpstream {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let inherited = ProcessInfo.processInfo.environment
        var childEnvironment = ["PATH": inherited["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"]
        for name in ["HOME", "LANG"] { childEnvironment[name] = inherited[name] }
        childEnvironment.merge(environment) { $1 }
        process.environment = childEnvironment
        let (input, output, errors) = process.attachStandardPipes()
        try process.run()
        // NIO owns duplicates; the originals close with their pipes, so the child's exit is an EOF here.
        let reading = dup(output.fileHandleForReading.fileDescriptor)
        let writing = dup(input.fileHandleForWriting.fileDescriptor)
        try? output.fileHandleForReading.close()
        try? input.fileHandleForWriting.close()
        let program = arguments.first ?? "upstream"
        errors.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                return
            }
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                logger.debug("mcp upstream stderr", metadata: ["program": "\(program)", "line": "\(line)"])
            }
        }
        let (messages, continuation) = AsyncStream.makeStream(of: Data.self)
        let channel: any Channel
        do {
            channel = try await NIOPipeBootstrap(group: eventLoop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(MCPLineDecoder()))
                        try channel.pipeline.syncOperations.addHandler(MCPLineSink(lines: continuation))
                    }
                }
                .takingOwnershipOfDescriptors(input: reading, output: writing)
                .get()
        } catch {
            process.terminate()
            throw error
        }
        process.terminationHandler = { _ in channel.close(promise: nil) }
        return MCPStdioUpstream(process: process, channel: channel, messages: messages)
    }

    func send(_ message: Data) async {
        channel.writeLine(message)
    }

    /// Closes its input (a well-behaved server exits on EOF) and terminates it if it has not after a moment.
    func close() async {
        try? await channel.close()
        guard process.isRunning else { return }
        process.terminate()
        try? await Task.sleep(for: .seconds(2))
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
