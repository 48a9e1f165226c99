extension PostgresBackendMessage {
    /// The body of ErrorResponse and NoticeResponse: fields identified by a code byte, in the order sent.
    package struct Diagnostic: Sendable, Equatable {
        package var fields: [Field]

        package init(fields: [Field]) {
            self.fields = fields
        }

        package struct Field: Sendable, Hashable {
            package var code: Code
            package var value: String

            package init(code: Code, value: String) {
                self.code = code
                self.value = value
            }
        }

        /// A field code byte. Unknown codes are kept, as the documentation tells clients to ignore them rather than
        /// fail, and new ones do appear.
        package struct Code: RawRepresentable, Sendable, Hashable {
            package var rawValue: UInt8

            package init(rawValue: UInt8) {
                self.rawValue = rawValue
            }

            /// 'S': ERROR, FATAL, PANIC, WARNING, NOTICE, DEBUG, INFO or LOG, possibly translated.
            package static let severity = Code(rawValue: 0x53)
            /// 'V': the same severity, never translated (servers from 9.6).
            package static let severityNonLocalized = Code(rawValue: 0x56)
            /// 'C': the SQLSTATE code.
            package static let sqlState = Code(rawValue: 0x43)
            /// 'M': the primary message.
            package static let message = Code(rawValue: 0x4D)
            /// 'D': the optional detail message.
            package static let detail = Code(rawValue: 0x44)
            /// 'H': the optional suggestion of what to do about the problem.
            package static let hint = Code(rawValue: 0x48)
        }

        /// The first value sent under `code`.
        package func value(of code: Code) -> String? {
            fields.first { $0.code == code }?.value
        }

        /// The untranslated severity when the server sent one, so "FEHLER" still reads as ERROR.
        package var severity: String? { value(of: .severityNonLocalized) ?? value(of: .severity) }

        package var sqlState: SQLState? { value(of: .sqlState).map(SQLState.init(rawValue:)) }

        package var message: String? { value(of: .message) }

        package var detail: String? { value(of: .detail) }
    }
}

extension PostgresBackendMessage.Diagnostic {
    /// Reads code/value pairs up to the terminating zero code byte.
    package init(from reader: inout PostgresMessageReader) throws(PostgresCodecError) {
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

    package func write(to writer: inout PostgresMessageWriter) throws(PostgresCodecError) {
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
