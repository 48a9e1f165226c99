extension PostgresBackendMessage {
    /// The body of ErrorResponse and NoticeResponse: fields identified by a code byte, in the order sent.
    struct Diagnostic: Sendable, Equatable {
        var fields: [Field]

        struct Field: Sendable, Hashable {
            var code: Code
            var value: String
        }

        /// A field code byte. Unknown codes are kept, as the documentation tells clients to ignore them rather than
        /// fail, and new ones do appear.
        struct Code: RawRepresentable, Sendable, Hashable {
            var rawValue: UInt8

            /// 'S': ERROR, FATAL, PANIC, WARNING, NOTICE, DEBUG, INFO or LOG, possibly translated.
            static let severity = Code(rawValue: 0x53)
            /// 'V': the same severity, never translated (servers from 9.6).
            static let severityNonLocalized = Code(rawValue: 0x56)
            /// 'C': the SQLSTATE code.
            static let sqlState = Code(rawValue: 0x43)
            /// 'M': the primary message.
            static let message = Code(rawValue: 0x4D)
            /// 'D': the optional detail message.
            static let detail = Code(rawValue: 0x44)
        }

        /// The first value sent under `code`.
        func value(of code: Code) -> String? {
            fields.first { $0.code == code }?.value
        }

        /// The untranslated severity when the server sent one, so "FEHLER" still reads as ERROR.
        var severity: String? { value(of: .severityNonLocalized) ?? value(of: .severity) }

        var sqlState: String? { value(of: .sqlState) }

        var message: String? { value(of: .message) }

        var detail: String? { value(of: .detail) }
    }
}

extension PostgresBackendMessage.Diagnostic {
    /// Reads code/value pairs up to the terminating zero code byte.
    init(from reader: inout PostgresMessageReader) throws(PostgresCodecError) {
        var fields: [Field] = []
        while true {
            guard reader.remainingBytes > 0 else {
                throw .missingNULTerminator(
                    field: "field list",
                    messageType: reader.messageType,
                    offset: reader.offset
                )
            }
            let code = try reader.readInteger("field code", as: UInt8.self)
            if code == 0 {
                break
            }
            let value = try reader.readString("value of field \(PostgresCodecError.describe(byte: code))")
            fields.append(Field(code: Code(rawValue: code), value: value))
        }
        self.init(fields: fields)
    }

    func write(to writer: inout PostgresMessageWriter) throws(PostgresCodecError) {
        for field in fields {
            guard field.code.rawValue != 0 else {
                throw .unexpectedValue(
                    field: "field code",
                    value: "0 (the terminator)",
                    messageType: writer.messageType,
                    offset: nil
                )
            }
            writer.writeInteger(field.code.rawValue)
            try writer.writeString(
                field.value, "value of field \(PostgresCodecError.describe(byte: field.code.rawValue))")
        }
        writer.writeInteger(UInt8(0))
    }
}
