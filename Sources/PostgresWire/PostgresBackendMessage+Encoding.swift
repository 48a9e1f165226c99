package import NIOCore

extension PostgresBackendMessage {
    /// Appends the message, framed, to `out`; on failure `out` is left as it was.
    package func write(into out: inout ByteBuffer) throws(PostgresCodecError) {
        try PostgresMessageWriter.write(type: messageType.rawValue, messageType: messageType.name, into: &out) {
            writer throws(PostgresCodecError) in
            try writeBody(to: &writer)
        }
    }

    package var messageType: MessageType {
        switch self {
        case .authentication: .authentication
        case .parameterStatus: .parameterStatus
        case .backendKeyData: .backendKeyData
        case .readyForQuery: .readyForQuery
        case .negotiateProtocolVersion: .negotiateProtocolVersion
        case .rowDescription: .rowDescription
        case .dataRow: .dataRow
        case .commandComplete: .commandComplete
        case .emptyQueryResponse: .emptyQueryResponse
        case .errorResponse: .errorResponse
        case .noticeResponse: .noticeResponse
        case .notificationResponse: .notificationResponse
        case .parseComplete: .parseComplete
        case .bindComplete: .bindComplete
        case .closeComplete: .closeComplete
        case .noData: .noData
        case .portalSuspended: .portalSuspended
        case .parameterDescription: .parameterDescription
        case .copyInResponse: .copyInResponse
        case .copyOutResponse: .copyOutResponse
        case .copyBothResponse: .copyBothResponse
        case .copyData: .copyData
        case .copyDone: .copyDone
        case .functionCallResponse: .functionCallResponse
        }
    }

    private func writeBody(to writer: inout PostgresMessageWriter) throws(PostgresCodecError) {
        switch self {
        case .authentication(let authentication):
            try authentication.write(to: &writer)
        case .parameterStatus(let name, let value):
            try writer.writeString(name, "parameter name")
            try writer.writeString(value, "parameter value")
        case .backendKeyData(let processID, let secretKey):
            guard PostgresFrontendMessage.secretKeyLengths.contains(secretKey.readableBytes) else {
                throw .unexpectedValue(
                    field: "secret key length",
                    value: "\(secretKey.readableBytes)",
                    messageType: writer.messageType,
                    offset: nil
                )
            }
            writer.writeInteger(processID)
            writer.writeBytes(secretKey)
        case .readyForQuery(let status):
            writer.writeInteger(status.rawValue)
        case .negotiateProtocolVersion(let newestMinorVersion, let options):
            writer.writeInteger(newestMinorVersion)
            try writer.writeCount(options.count, "unrecognized option", as: Int32.self)
            for option in options {
                try writer.writeString(option, "unrecognized option")
            }
        case .rowDescription(let fields):
            try writer.writeCount(fields.count, "field")
            for field in fields {
                try field.write(to: &writer)
            }
        case .dataRow(let columns):
            try writer.writeValues(columns, "column")
        case .commandComplete(let tag):
            try writer.writeString(tag, "command tag")
        case .errorResponse(let diagnostic), .noticeResponse(let diagnostic):
            try diagnostic.write(to: &writer)
        case .notificationResponse(let processID, let channel, let payload):
            writer.writeInteger(processID)
            try writer.writeString(channel, "channel")
            try writer.writeString(payload, "payload")
        case .parameterDescription(let oids):
            try writer.writeCount(oids.count, "parameter type")
            for oid in oids {
                writer.writeInteger(oid)
            }
        case .copyInResponse(let response), .copyOutResponse(let response), .copyBothResponse(let response):
            try response.write(to: &writer)
        case .copyData(let data):
            writer.writeBytes(data)
        case .functionCallResponse(let result):
            writer.writeValue(result)
        case .emptyQueryResponse, .parseComplete, .bindComplete, .closeComplete, .noData, .portalSuspended,
            .copyDone:
            break
        }
    }
}
