import NIOCore

extension PostgresBackendMessage {
    /// Reads the body of a message; the framing has already checked the type byte and cut the body out.
    package init(_ type: MessageType, from reader: inout PostgresMessageReader) throws(PostgresCodecError) {
        switch type {
        case .authentication:
            self = .authentication(try Authentication(from: &reader))
        case .parameterStatus:
            let name = try reader.readString("parameter name")
            self = .parameterStatus(name: name, value: try reader.readString("parameter value"))
        case .backendKeyData:
            let processID = try reader.readInteger("process ID", as: Int32.self)
            let keyOffset = reader.offset
            let secretKey = reader.readRemainingBytes()
            guard PostgresFrontendMessage.secretKeyLengths.contains(secretKey.readableBytes) else {
                throw reader.unexpectedValue("secret key length", secretKey.readableBytes, at: keyOffset)
            }
            self = .backendKeyData(processID: processID, secretKey: secretKey)
        case .readyForQuery:
            let offset = reader.offset
            let byte = try reader.readInteger("transaction status", as: UInt8.self)
            guard let status = TransactionStatus(rawValue: byte) else {
                throw reader.unexpectedValue("transaction status", PostgresCodecError.describe(byte: byte), at: offset)
            }
            self = .readyForQuery(status)
        case .negotiateProtocolVersion:
            let newestMinorVersion = try reader.readInteger("newest minor version", as: Int32.self)
            // The one list with a 32-bit count; each name takes at least its NUL.
            let count = try reader.readCount("unrecognized option", as: Int32.self, minimumItemLength: 1)
            var options: [String] = []
            options.reserveCapacity(count)
            for _ in 0..<count {
                options.append(try reader.readString("unrecognized option"))
            }
            self = .negotiateProtocolVersion(newestMinorVersion: newestMinorVersion, unrecognizedOptions: options)
        case .rowDescription:
            let count = try reader.readCount("field", minimumItemLength: FieldDescription.minimumLength)
            var fields: [FieldDescription] = []
            fields.reserveCapacity(count)
            for _ in 0..<count {
                fields.append(try FieldDescription(from: &reader))
            }
            self = .rowDescription(fields)
        case .dataRow:
            self = .dataRow(try reader.readValues("column"))
        case .commandComplete:
            self = .commandComplete(tag: try reader.readString("command tag"))
        case .emptyQueryResponse:
            self = .emptyQueryResponse
        case .errorResponse:
            self = .errorResponse(try Diagnostic(from: &reader))
        case .noticeResponse:
            self = .noticeResponse(try Diagnostic(from: &reader))
        case .notificationResponse:
            let processID = try reader.readInteger("process ID", as: Int32.self)
            let channel = try reader.readString("channel")
            self = .notificationResponse(
                processID: processID, channel: channel, payload: try reader.readString("payload"))
        case .parseComplete:
            self = .parseComplete
        case .bindComplete:
            self = .bindComplete
        case .closeComplete:
            self = .closeComplete
        case .noData:
            self = .noData
        case .portalSuspended:
            self = .portalSuspended
        case .parameterDescription:
            let count = try reader.readCount("parameter type", minimumItemLength: 4)
            var oids: [UInt32] = []
            oids.reserveCapacity(count)
            for _ in 0..<count {
                oids.append(try reader.readInteger("parameter type"))
            }
            self = .parameterDescription(typeOIDs: oids)
        case .copyInResponse:
            self = .copyInResponse(try CopyResponse(from: &reader))
        case .copyOutResponse:
            self = .copyOutResponse(try CopyResponse(from: &reader))
        case .copyBothResponse:
            self = .copyBothResponse(try CopyResponse(from: &reader))
        case .copyData:
            self = .copyData(reader.readRemainingBytes())
        case .copyDone:
            self = .copyDone
        case .functionCallResponse:
            self = .functionCallResponse(try reader.readValue("result"))
        }
        try reader.finish()
    }
}
