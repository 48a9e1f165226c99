package import NIOCore

extension PostgresFrontendMessage {
    /// Appends the message, framed, to `out`; on failure `out` is left as it was.
    package func write(into out: inout ByteBuffer) throws(PostgresCodecError) {
        switch self {
        case .startup(let startup):
            try Self.startupPacket("StartupMessage", into: &out) { writer throws(PostgresCodecError) in
                try startup.write(to: &writer)
            }
        case .sslRequest:
            try Self.startupPacket("SSLRequest", into: &out) { $0.writeInteger(RequestCode.ssl) }
        case .gssEncRequest:
            try Self.startupPacket("GSSENCRequest", into: &out) { $0.writeInteger(RequestCode.gssEnc) }
        case .cancelRequest(let processID, let secretKey):
            try Self.startupPacket("CancelRequest", into: &out) { writer throws(PostgresCodecError) in
                guard Self.secretKeyLengths.contains(secretKey.readableBytes) else {
                    throw .unexpectedValue(
                        field: "secret key length",
                        value: "\(secretKey.readableBytes)",
                        messageType: writer.messageType,
                        offset: nil
                    )
                }
                writer.writeInteger(RequestCode.cancel)
                writer.writeInteger(processID)
                writer.writeBytes(secretKey)
            }
        case .query(let query):
            try Self.typed(.query, into: &out) { writer throws(PostgresCodecError) in
                try writer.writeString(query, "query")
            }
        case .parse(let parse):
            try Self.typed(.parse, into: &out) { writer throws(PostgresCodecError) in try parse.write(to: &writer) }
        case .bind(let bind):
            try Self.typed(.bind, into: &out) { writer throws(PostgresCodecError) in try bind.write(to: &writer) }
        case .describe(let target, let name):
            try Self.typed(.describe, into: &out) { writer throws(PostgresCodecError) in
                writer.writeInteger(target.rawValue)
                try writer.writeString(name, "name")
            }
        case .execute(let portal, let maxRows):
            try Self.typed(.execute, into: &out) { writer throws(PostgresCodecError) in
                try writer.writeString(portal, "portal name")
                writer.writeInteger(maxRows)
            }
        case .sync:
            try Self.typed(.sync, into: &out) { _ in }
        case .flush:
            try Self.typed(.flush, into: &out) { _ in }
        case .close(let target, let name):
            try Self.typed(.close, into: &out) { writer throws(PostgresCodecError) in
                writer.writeInteger(target.rawValue)
                try writer.writeString(name, "name")
            }
        case .copyData(let data):
            try Self.typed(.copyData, into: &out) { $0.writeBytes(data) }
        case .copyDone:
            try Self.typed(.copyDone, into: &out) { _ in }
        case .copyFail(let message):
            try Self.typed(.copyFail, into: &out) { writer throws(PostgresCodecError) in
                try writer.writeString(message, "error message")
            }
        case .functionCall(let call):
            try Self.typed(.functionCall, into: &out) { writer throws(PostgresCodecError) in
                try call.write(to: &writer)
            }
        case .passwordFamily(let body):
            try Self.typed(.passwordFamily, into: &out) { $0.writeBytes(body) }
        case .terminate:
            try Self.typed(.terminate, into: &out) { _ in }
        }
    }

    private static func typed(
        _ type: MessageType,
        into out: inout ByteBuffer,
        _ body: (inout PostgresMessageWriter) throws(PostgresCodecError) -> Void
    ) throws(PostgresCodecError) {
        try PostgresMessageWriter.write(type: type.rawValue, messageType: type.name, into: &out, body)
    }

    private static func startupPacket(
        _ name: String,
        into out: inout ByteBuffer,
        _ body: (inout PostgresMessageWriter) throws(PostgresCodecError) -> Void
    ) throws(PostgresCodecError) {
        try PostgresMessageWriter.write(
            type: nil,
            messageType: name,
            maximumLength: maximumStartupPacketLength,
            into: &out,
            body
        )
    }
}
