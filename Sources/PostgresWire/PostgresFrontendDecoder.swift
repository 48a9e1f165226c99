package import NIOCore

/// Decodes what a PostgreSQL client sends, for the broker's client-facing side.
///
/// A connection opens with untyped packets (a length word and a code): at most one SSLRequest and one
/// GSSENCRequest, each answered and possibly followed by an encryption handshake, then either a StartupMessage,
/// after which every message is typed, or a lone CancelRequest. Install it with its encoder on the client channel:
///
///     try channel.pipeline.syncOperations.addHandlers([
///         ByteToMessageHandler(PostgresFrontendDecoder()),
///         MessageToByteHandler(PostgresBackendEncoder()),
///         engine,
///     ])
///
/// On `.sslRequest` the engine writes the one-byte answer raw ('S' or 'N', bypassing the encoder, since it is not
/// a message) and, for 'S', inserts the TLS handler at the front of the pipeline; this decoder then reads the
/// next startup packet from the decrypted stream.
package struct PostgresFrontendDecoder: NIOSingleStepByteToMessageDecoder {
    package typealias InboundOut = PostgresFrontendMessage

    private enum Phase {
        /// Before the StartupMessage; each encryption request may come once.
        case startup(sslRequested: Bool, gssEncRequested: Bool)
        case typed
        /// A CancelRequest was read; the client has nothing more to say on this connection.
        case cancelRequested
    }

    /// The largest length word accepted (it counts itself and the body, not the type byte).
    package let maximumMessageLength: Int
    private var phase = Phase.startup(sslRequested: false, gssEncRequested: false)

    package init(maximumMessageLength: Int = PostgresMessageFrame.defaultMaximumLength) {
        self.maximumMessageLength = maximumMessageLength
    }

    package mutating func decode(buffer: inout ByteBuffer) throws(PostgresCodecError) -> PostgresFrontendMessage? {
        switch phase {
        case .typed:
            guard
                let frame = try PostgresMessageFrame.next(
                    from: &buffer,
                    maximumLength: maximumMessageLength,
                    direction: "frontend",
                    as: PostgresFrontendMessage.MessageType.self
                )
            else {
                return nil
            }
            var reader = frame.reader
            return try PostgresFrontendMessage(frame.type, from: &reader)
        case .startup(let sslRequested, let gssEncRequested):
            return try decodeStartupPacket(
                from: &buffer,
                sslRequested: sslRequested,
                gssEncRequested: gssEncRequested
            )
        case .cancelRequested:
            guard buffer.readableBytes == 0 else {
                throw .dataAfterCancelRequest(bufferedBytes: buffer.readableBytes)
            }
            return nil
        }
    }

    package mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws(PostgresCodecError)
        -> PostgresFrontendMessage?
    {
        if let message = try decode(buffer: &buffer) {
            return message
        }
        if seenEOF && buffer.readableBytes > 0 {
            throw .incompleteMessageAtEOF(bufferedBytes: buffer.readableBytes, direction: "frontend")
        }
        return nil
    }

    private mutating func decodeStartupPacket(
        from buffer: inout ByteBuffer,
        sslRequested: Bool,
        gssEncRequested: Bool
    ) throws(PostgresCodecError) -> PostgresFrontendMessage? {
        // Length and code are checked as soon as they are in, so a stray byte stream (a TLS ClientHello sent
        // directly, say) is refused before the decoder waits for a body that will never come.
        guard let (length, code) = buffer.peekMultipleIntegers(as: (Int32, Int32).self) else {
            return nil
        }
        let name = PostgresFrontendMessage.startupPacketName(code: code)
        guard length >= 0 else {
            throw .negativeLength(length, messageType: name, offset: 0)
        }
        let headerLength = PostgresFrontendMessage.startupPacketHeaderLength
        guard length >= headerLength else {
            throw .lengthTooShort(Int(length), minimum: headerLength, messageType: name, offset: 0)
        }
        let maximum = min(maximumMessageLength, PostgresFrontendMessage.maximumStartupPacketLength)
        guard length <= maximum else {
            throw .lengthExceedsMaximum(Int(length), maximum: maximum, messageType: name, offset: 0)
        }
        guard let name else {
            throw .unknownRequestCode(code)
        }
        if code == PostgresFrontendMessage.RequestCode.ssl && sslRequested
            || code == PostgresFrontendMessage.RequestCode.gssEnc && gssEncRequested
        {
            throw .repeatedEncryptionRequest(name)
        }
        guard buffer.readableBytes >= Int(length) else {
            return nil
        }

        buffer.moveReaderIndex(forwardBy: headerLength)
        var reader = PostgresMessageReader(
            body: buffer.readSlice(length: Int(length) - headerLength)!,
            messageType: name,
            headerLength: headerLength
        )
        let message = try PostgresFrontendMessage.decodeStartupPacket(code: code, from: &reader)
        switch message {
        case .sslRequest, .gssEncRequest:
            // Whatever came with the request was sent before the answer, so in the clear: taking it as the start
            // of the encrypted session would let a man in the middle inject the startup packet (CVE-2021-23214).
            guard buffer.readableBytes == 0 else {
                throw .dataAfterEncryptionRequest(name, bufferedBytes: buffer.readableBytes)
            }
            phase = .startup(
                sslRequested: sslRequested || message == .sslRequest,
                gssEncRequested: gssEncRequested || message == .gssEncRequest
            )
        case .cancelRequest:
            phase = .cancelRequested
        default:
            phase = .typed
        }
        return message
    }
}
