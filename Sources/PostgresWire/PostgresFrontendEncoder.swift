package import NIOCore

/// Encodes client messages, for the broker's own connection to the target:
/// `MessageToByteHandler(PostgresFrontendEncoder())`, next to `PostgresBackendDecoder`.
package struct PostgresFrontendEncoder: MessageToByteEncoder {
    package init() {}

    package typealias OutboundIn = PostgresFrontendMessage

    package func encode(data: PostgresFrontendMessage, out: inout ByteBuffer) throws(PostgresCodecError) {
        try data.write(into: &out)
    }
}
