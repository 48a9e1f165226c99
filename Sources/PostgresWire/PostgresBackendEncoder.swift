package import NIOCore

/// Encodes server messages, for the broker's side facing the client:
/// `MessageToByteHandler(PostgresBackendEncoder())`, next to `PostgresFrontendDecoder`.
package struct PostgresBackendEncoder: MessageToByteEncoder {
    package init() {}

    package typealias OutboundIn = PostgresBackendMessage

    package func encode(data: PostgresBackendMessage, out: inout ByteBuffer) throws(PostgresCodecError) {
        try data.write(into: &out)
    }
}
