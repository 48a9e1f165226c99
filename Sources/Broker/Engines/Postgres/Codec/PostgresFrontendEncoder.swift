import NIOCore

/// Encodes client messages, for the broker's own connection to the target:
/// `MessageToByteHandler(PostgresFrontendEncoder())`, next to `PostgresBackendDecoder`.
struct PostgresFrontendEncoder: MessageToByteEncoder {
    typealias OutboundIn = PostgresFrontendMessage

    func encode(data: PostgresFrontendMessage, out: inout ByteBuffer) throws(PostgresCodecError) {
        try data.write(into: &out)
    }
}
