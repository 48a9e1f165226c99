import NIOCore

/// How an engine ends a connection it refused before relaying anything (a dead target, a failed login): the
/// refusal is written, then the broker waits for the client to hang up, as clients do on a fatal error, and
/// closes itself only if the client has not within `linger`.
///
/// Closing at once would race the client's tunnel handshake: the refusal and the close can arrive in the same
/// read as the broker's 101, and an HTTP decoder that sees end-of-input before it is taken out of the pipeline
/// drops the bytes behind the 101, so the client would see a bare close (or, half-closed, nothing at all) instead
/// of the message.
enum RefusalClose {
    static let linger: TimeAmount = .seconds(2)

    /// Writes `refusal` on `context`'s channel and closes it once the client left or `linger` passed.
    static func write(_ refusal: NIOAny, on context: ChannelHandlerContext) {
        let channel = context.channel
        context.writeAndFlush(refusal).whenComplete { _ in
            let deadline = channel.eventLoop.scheduleTask(in: linger) { channel.close(promise: nil) }
            channel.closeFuture.whenComplete { _ in deadline.cancel() }
        }
    }
}
