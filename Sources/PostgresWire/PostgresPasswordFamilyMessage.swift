package import NIOCore

/// One reading of the body of a 'p' message.
///
/// Four messages share type byte 'p' and nothing in their bytes tells them apart; only the authentication request
/// the server sent last does: PasswordMessage answers AuthenticationCleartextPassword or AuthenticationMD5Password,
/// SASLInitialResponse answers AuthenticationSASL, SASLResponse answers AuthenticationSASLContinue, and GSSResponse
/// answers the GSS and SSPI requests. So the decoder yields `PostgresFrontendMessage.passwordFamily(body)`, and the
/// engine, which tracks the exchange, reads the body here as the kind it expects.
package enum PostgresPasswordFamilyMessage: Sendable, Equatable {
    /// PasswordMessage: the password in clear, or "md5" and the hex digest.
    case password(String)
    case saslInitialResponse(SASLInitialResponse)
    /// SASLResponse: mechanism data (for SCRAM, the client-final-message), the whole body.
    case saslResponse(ByteBuffer)
    /// GSSResponse: GSSAPI or SSPI data, the whole body.
    case gssResponse(ByteBuffer)

    /// SASLInitialResponse: the mechanism the client chose and its first message.
    package struct SASLInitialResponse: Sendable, Equatable {
        package var mechanism: String
        /// nil when the client sends none (length -1), which a mechanism may treat differently from empty data.
        package var data: ByteBuffer?

        package init(mechanism: String, data: ByteBuffer?) {
            self.mechanism = mechanism
            self.data = data
        }
    }

    /// Which reading the authentication exchange calls for.
    package enum Kind: Sendable, Hashable {
        case password
        case saslInitialResponse
        case saslResponse
        case gssResponse

        package var name: String {
            switch self {
            case .password: "PasswordMessage"
            case .saslInitialResponse: "SASLInitialResponse"
            case .saslResponse: "SASLResponse"
            case .gssResponse: "GSSResponse"
            }
        }
    }

    /// Reads `body`, the payload of `PostgresFrontendMessage.passwordFamily`, as `kind`. Error offsets count from
    /// the 'p' message's type byte.
    package init(body: ByteBuffer, as kind: Kind) throws(PostgresCodecError) {
        var reader = PostgresMessageReader(body: body, messageType: kind.name, headerLength: 5)
        switch kind {
        case .password:
            self = .password(try reader.readString("password"))
        case .saslInitialResponse:
            let mechanism = try reader.readString("mechanism")
            self = .saslInitialResponse(SASLInitialResponse(mechanism: mechanism, data: try reader.readValue("data")))
        case .saslResponse:
            self = .saslResponse(reader.readRemainingBytes())
        case .gssResponse:
            self = .gssResponse(reader.readRemainingBytes())
        }
        try reader.finish()
    }

    /// The 'p' message that carries this reading.
    package func message() throws(PostgresCodecError) -> PostgresFrontendMessage {
        let body = try PostgresMessageWriter.body(messageType: kind.name) { writer throws(PostgresCodecError) in
            switch self {
            case .password(let password):
                try writer.writeString(password, "password")
            case .saslInitialResponse(let response):
                try writer.writeString(response.mechanism, "mechanism")
                writer.writeValue(response.data)
            case .saslResponse(let data), .gssResponse(let data):
                writer.writeBytes(data)
            }
        }
        return .passwordFamily(body)
    }

    package var kind: Kind {
        switch self {
        case .password: .password
        case .saslInitialResponse: .saslInitialResponse
        case .saslResponse: .saslResponse
        case .gssResponse: .gssResponse
        }
    }
}
