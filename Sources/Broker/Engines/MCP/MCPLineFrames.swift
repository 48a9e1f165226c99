import Foundation
import NIOCore

/// Splits a byte stream into MCP messages: one JSON object per line (the stdio transport's framing, which the
/// broker's tunnel speaks too). A line longer than `limit` is an error, so a peer cannot grow the buffer without
/// bound; a final line without its newline is still a message.
struct MCPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = Data

    static let limit = 16 << 20

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.limit { throw MCPLineTooLong() }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        var line = buffer.readSlice(length: length) ?? ByteBuffer()
        buffer.moveReaderIndex(forwardBy: 1)
        if line.readableBytesView.last == UInt8(ascii: "\r") {
            line = line.getSlice(at: line.readerIndex, length: line.readableBytes - 1) ?? line
        }
        if line.readableBytes > 0 {
            context.fireChannelRead(wrapInboundOut(Data(line.readableBytesView)))
        }
        return .continue
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0, let rest = buffer.readSlice(length: buffer.readableBytes) {
            context.fireChannelRead(wrapInboundOut(Data(rest.readableBytesView)))
        }
        return .needMoreData
    }
}

struct MCPLineTooLong: Error, CustomStringConvertible {
    var description: String { "an MCP message longer than \(MCPLineDecoder.limit) bytes" }
}

/// Hands each decoded line to `lines` and finishes it when the channel closes or fails.
final class MCPLineSink: ChannelInboundHandler, Sendable {
    typealias InboundIn = Data

    let lines: AsyncStream<Data>.Continuation

    init(lines: AsyncStream<Data>.Continuation) {
        self.lines = lines
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lines.yield(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        lines.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        lines.finish()
        context.close(promise: nil)
    }
}

extension Channel {
    /// Writes one MCP message and its newline.
    func writeLine(_ message: Data) {
        var buffer = allocator.buffer(capacity: message.count + 1)
        buffer.writeBytes(message)
        buffer.writeInteger(UInt8(ascii: "\n"))
        writeAndFlush(buffer, promise: nil)
    }
}
