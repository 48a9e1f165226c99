package import NIOCore

/// Decodes what a PostgreSQL server sends, for the broker's own connection to the target.
///
/// Every backend message is typed, so this decoder has no phases. The one exception on the wire is the single byte
/// that answers SSLRequest ('S' or 'N') or GSSENCRequest ('G' or 'N'), which is not a message: the target-side
/// handler sends the request through `PostgresFrontendEncoder`, reads that byte from the raw channel before this
/// decoder is in the pipeline, refuses the connection if any byte follows it in the same read (they came in the
/// clear, the CVE-2021-23222 attack), and on 'S' adds the TLS handler before adding the decoder. An 'E' instead is
/// the start of an ErrorResponse from a server that does not know the request; its text comes from a server not yet
/// authenticated and must not be shown (CVE-2024-10977), so the connection is simply failed.
///
///     try channel.pipeline.syncOperations.addHandlers([
///         ByteToMessageHandler(PostgresBackendDecoder()),
///         MessageToByteHandler(PostgresFrontendEncoder()),
///         engine,
///     ])
package struct PostgresBackendDecoder: NIOSingleStepByteToMessageDecoder {
    package typealias InboundOut = PostgresBackendMessage

    /// The largest length word accepted (it counts itself and the body, not the type byte).
    package let maximumMessageLength: Int

    package init(maximumMessageLength: Int = PostgresMessageFrame.defaultMaximumLength) {
        self.maximumMessageLength = maximumMessageLength
    }

    package mutating func decode(buffer: inout ByteBuffer) throws(PostgresCodecError) -> PostgresBackendMessage? {
        guard
            let frame = try PostgresMessageFrame.next(
                from: &buffer,
                maximumLength: maximumMessageLength,
                direction: "backend",
                as: PostgresBackendMessage.MessageType.self
            )
        else {
            return nil
        }
        var reader = frame.reader
        return try PostgresBackendMessage(frame.type, from: &reader)
    }

    package mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws(PostgresCodecError)
        -> PostgresBackendMessage?
    {
        if let message = try decode(buffer: &buffer) {
            return message
        }
        if seenEOF && buffer.readableBytes > 0 {
            throw .incompleteMessageAtEOF(bufferedBytes: buffer.readableBytes, direction: "backend")
        }
        return nil
    }
}
