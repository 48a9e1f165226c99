import NIOCore

extension PostgresFrontendMessage {
    /// The codes of the startup-phase packets other than StartupMessage. Each has 1234 in its high 16 bits, a major
    /// version no protocol will have, so a server can tell them from a StartupMessage's version.
    package enum RequestCode {
        /// 1234.5678
        package static let cancel: Int32 = 80_877_102
        /// 1234.5679
        package static let ssl: Int32 = 80_877_103
        /// 1234.5680
        package static let gssEnc: Int32 = 80_877_104
    }

    /// The secret key lengths CancelRequest and BackendKeyData may carry: exactly 4 in protocol 3.0, 4 to 256 from
    /// 3.2 (PostgreSQL 18 sends 32). The codec does not know which version the connection negotiated, so it accepts
    /// the wider range and leaves the 3.0 check to the engine.
    package static let secretKeyLengths = 4...256

    /// Startup-phase packets have no type byte: a length word, then a code, then the body.
    package static let startupPacketHeaderLength = 8

    /// The server refuses a startup-phase packet longer than this (MAX_STARTUP_PACKET_LENGTH), whatever its limit
    /// for later messages.
    package static let maximumStartupPacketLength = 10_000

    /// The protocol's name for the startup-phase packet that `code` opens, nil for an unknown code.
    package static func startupPacketName(code: Int32) -> String? {
        switch code {
        case RequestCode.cancel: "CancelRequest"
        case RequestCode.ssl: "SSLRequest"
        case RequestCode.gssEnc: "GSSENCRequest"
        case _ where ProtocolVersion(code: code).major == 3: "StartupMessage"
        default: nil
        }
    }

    /// Reads a startup-phase packet body after its code, which `startupPacketName(code:)` has recognised.
    package static func decodeStartupPacket(code: Int32, from reader: inout PostgresMessageReader)
        throws(PostgresCodecError) -> Self
    {
        let message: Self
        switch code {
        case RequestCode.ssl:
            message = .sslRequest
        case RequestCode.gssEnc:
            message = .gssEncRequest
        case RequestCode.cancel:
            let processID = try reader.readInteger("process ID", as: Int32.self)
            let keyOffset = reader.offset
            let secretKey = reader.readRemainingBytes()
            guard secretKeyLengths.contains(secretKey.readableBytes) else {
                throw reader.unexpectedValue("secret key length", secretKey.readableBytes, at: keyOffset)
            }
            message = .cancelRequest(processID: processID, secretKey: secretKey)
        default:
            message = .startup(try StartupMessage(version: ProtocolVersion(code: code), from: &reader))
        }
        try reader.finish()
        return message
    }
}
