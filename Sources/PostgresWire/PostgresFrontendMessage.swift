package import NIOCore

/// A message a client sends to the server, protocol version 3.
///
/// The startup-phase packets (`startup`, `sslRequest`, `gssEncRequest`, `cancelRequest`) have no type byte and
/// are only valid before the StartupMessage; everything else is a typed message. Values stay as the client sent
/// them (`ByteBuffer` slices for parameters and COPY data, NULL as nil) so that what the broker forwards is exactly
/// what it inspected.
package enum PostgresFrontendMessage: Sendable, Equatable {
    case startup(StartupMessage)
    /// Asks the server to switch to TLS; it answers with one byte, 'S' or 'N', before any message.
    case sslRequest
    /// Asks the server to switch to GSSAPI encryption; it answers with one byte, 'G' or 'N'.
    case gssEncRequest
    /// Sent on a connection of its own; the key is 4 bytes in protocol 3.0 and 4 to 256 bytes from 3.2.
    case cancelRequest(processID: Int32, secretKey: ByteBuffer)

    case query(String)
    case parse(Parse)
    case bind(Bind)
    case describe(Target, name: String)
    /// `maxRows` 0 means no limit; otherwise the server stops with PortalSuspended after that many rows.
    case execute(portal: String, maxRows: Int32)
    case sync
    case flush
    case close(Target, name: String)

    case copyData(ByteBuffer)
    case copyDone
    case copyFail(message: String)

    /// The legacy fast-path interface, which calls a function by OID without any SQL for policy to see.
    case functionCall(FunctionCall)

    /// Type 'p': PasswordMessage, SASLInitialResponse, SASLResponse or GSSResponse. Only the authentication request
    /// the server sent last says which, so the body stays raw; read it with `PostgresPasswordFamilyMessage`.
    case passwordFamily(ByteBuffer)

    case terminate

    /// What Describe and Close act on.
    package enum Target: UInt8, Sendable, Hashable {
        /// A prepared statement, 'S'.
        case statement = 0x53
        /// A portal, 'P'.
        case portal = 0x50
    }
}
