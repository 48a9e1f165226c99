package import NIOCore

extension PostgresBackendMessage {
    /// The Authentication messages, which all share type 'R' and differ by an Int32 code.
    package enum Authentication: Sendable, Equatable {
        /// 0: the client is in.
        case ok
        /// 3: send the password in clear.
        case cleartextPassword
        /// 5: send "md5" + md5hex(md5hex(password + user) + salt); the salt's four bytes read big-endian.
        case md5Password(salt: UInt32)
        /// 10: choose one of these SASL mechanisms (SCRAM-SHA-256, SCRAM-SHA-256-PLUS).
        case sasl(mechanisms: [String])
        /// 11: the server's next SASL challenge.
        case saslContinue(data: ByteBuffer)
        /// 12: the server's SASL outcome data, before `ok`.
        case saslFinal(data: ByteBuffer)
        /// Any other code: Kerberos V5 (2), GSS (7), GSSContinue (8), SSPI (9), or one not yet defined. The broker
        /// does not speak these; keeping code and data lets it refuse them precisely, or relay them unchanged.
        case unsupported(code: Int32, data: ByteBuffer)
    }
}

extension PostgresBackendMessage.Authentication {
    private enum Code {
        static let ok: Int32 = 0
        static let cleartextPassword: Int32 = 3
        static let md5Password: Int32 = 5
        static let sasl: Int32 = 10
        static let saslContinue: Int32 = 11
        static let saslFinal: Int32 = 12
        static let supported: Set<Int32> = [ok, cleartextPassword, md5Password, sasl, saslContinue, saslFinal]
    }

    package init(from reader: inout PostgresMessageReader) throws(PostgresCodecError) {
        switch try reader.readInteger("authentication code", as: Int32.self) {
        case Code.ok:
            self = .ok
        case Code.cleartextPassword:
            self = .cleartextPassword
        case Code.md5Password:
            self = .md5Password(salt: try reader.readInteger("salt"))
        case Code.sasl:
            // Mechanism names, ended by an empty one (a lone NUL byte).
            var mechanisms: [String] = []
            while true {
                let mechanism = try reader.readString("mechanism")
                if mechanism.isEmpty {
                    break
                }
                mechanisms.append(mechanism)
            }
            self = .sasl(mechanisms: mechanisms)
        case Code.saslContinue:
            self = .saslContinue(data: reader.readRemainingBytes())
        case Code.saslFinal:
            self = .saslFinal(data: reader.readRemainingBytes())
        case let code:
            self = .unsupported(code: code, data: reader.readRemainingBytes())
        }
    }

    package func write(to writer: inout PostgresMessageWriter) throws(PostgresCodecError) {
        switch self {
        case .ok:
            writer.writeInteger(Code.ok)
        case .cleartextPassword:
            writer.writeInteger(Code.cleartextPassword)
        case .md5Password(let salt):
            writer.writeInteger(Code.md5Password)
            writer.writeInteger(salt)
        case .sasl(let mechanisms):
            writer.writeInteger(Code.sasl)
            for mechanism in mechanisms {
                try writer.writeListEntry(mechanism, "mechanism")
            }
            writer.writeInteger(UInt8(0))
        case .saslContinue(let data):
            writer.writeInteger(Code.saslContinue)
            writer.writeBytes(data)
        case .saslFinal(let data):
            writer.writeInteger(Code.saslFinal)
            writer.writeBytes(data)
        case .unsupported(let code, let data):
            // A known code here would be read back as a different message.
            guard !Code.supported.contains(code) else {
                throw .unexpectedValue(
                    field: "unsupported authentication code",
                    value: "\(code), which has its own case",
                    messageType: writer.messageType,
                    offset: nil
                )
            }
            writer.writeInteger(code)
            writer.writeBytes(data)
        }
    }
}
