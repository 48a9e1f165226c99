import NIOCore

/// Encodes server messages, for the broker's side facing the client:
/// `MessageToByteHandler(PostgresBackendEncoder())`, next to `PostgresFrontendDecoder`.
struct PostgresBackendEncoder: MessageToByteEncoder {
    typealias OutboundIn = PostgresBackendMessage

    func encode(data: PostgresBackendMessage, out: inout ByteBuffer) throws(PostgresCodecError) {
        try data.write(into: &out)
    }
}
