import NIOCore
import PostgresWire

/// The broker's direct PostgreSQL port, until a session is found: TLS first (SSLRequest answered 'S', or a TLS
/// ClientHello straight away as PostgreSQL 17's `sslnegotiation=direct` sends it, with ALPN `postgresql`), then the
/// startup packet and the cleartext password — safe to ask for inside TLS — which name and prove the session.
/// Everything else (plaintext startup, GSSAPI encryption, bytes out of turn) is refused with a FATAL that says
/// what to do instead. A CancelRequest, which libpq sends without TLS, is passed on with its key as the credential.
///
/// A value-type state machine returning actions, so the handler only performs them and tests need no socket.
struct PostgresDirectDoor {
    enum Action: Equatable {
        /// Answer SSLRequest with 'S' and start TLS; nothing may have followed the request in the clear.
        case acceptTLS
        /// The client opened with a TLS ClientHello: start TLS and hand it `hello`, the bytes read so far.
        case startDirectTLS(hello: ByteBuffer)
        case send(PostgresBackendMessage)
        /// The login is read: admit it, and give the engine `startup`, the startup packet as the client sent it.
        case admit(user: String, password: String, startup: ByteBuffer)
        /// A CancelRequest: route it by its key; `request` is the packet as sent, for the engine.
        case cancel(processID: Int32, secretKey: ByteBuffer, request: ByteBuffer)
        /// Send a FATAL error and close.
        case refuse(SQLState, String)
        /// Close without a word: the stream is not at a message boundary, or the client said goodbye.
        case close
    }

    private enum State {
        case awaitingRequest
        case negotiatingTLS(direct: Bool)
        case awaitingStartup
        case awaitingPassword(user: String, startup: ByteBuffer)
        case admitting
        case done
    }

    /// PostgreSQL's own limit for any packet before login.
    static let maximumPacketLength = PostgresFrontendMessage.maximumStartupPacketLength
    /// The ALPN protocol PostgreSQL 17 clients offer, and require for direct TLS.
    static let applicationProtocol = "postgresql"
    /// The first byte of a TLS handshake record; a startup packet's first byte (its length's high byte) is 0.
    private static let tlsHandshakeRecord: UInt8 = 0x16

    private var state = State.awaitingRequest
    private var decoder = PostgresFrontendDecoder(maximumMessageLength: Self.maximumPacketLength)

    /// Reads the next message from `buffer`; nil when more bytes are needed or the door has nothing to say.
    mutating func read(_ buffer: inout ByteBuffer) -> Action? {
        guard buffer.readableBytes > 0 else { return nil }
        switch state {
        case .awaitingRequest where buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) == Self.tlsHandshakeRecord:
            state = .negotiatingTLS(direct: true)
            return .startDirectTLS(hello: buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer())
        case .negotiatingTLS, .admitting:
            return finish(.refuse(.protocolViolation, "the client sent data before its login was answered"))
        case .done:
            buffer.clear()
            return nil
        case .awaitingRequest, .awaitingStartup, .awaitingPassword:
            break
        }
        let unread = buffer
        let message: PostgresFrontendMessage
        do {
            guard let decoded = try decoder.decode(buffer: &buffer) else { return nil }
            message = decoded
        } catch {
            return finish(.refuse(.protocolViolation, "the broker could not read the client's packet: \(error)"))
        }
        let packet = unread.getSlice(at: unread.readerIndex, length: buffer.readerIndex - unread.readerIndex)
        return received(message, packet: packet ?? ByteBuffer(), following: buffer.readableBytes)
    }

    /// The TLS handshake finished; `applicationProtocol` is what ALPN chose, if anything.
    mutating func tlsEstablished(applicationProtocol: String?) -> Action? {
        guard case .negotiatingTLS(let direct) = state else { return nil }
        if direct && applicationProtocol != Self.applicationProtocol {
            return finish(
                .refuse(
                    .protocolViolation,
                    "a direct TLS connection must negotiate the ALPN protocol \"\(Self.applicationProtocol)\""))
        }
        state = .awaitingStartup
        return nil
    }

    /// The login timeout fired: a client still short of its login is told so, one mid-handshake is cut off.
    mutating func timedOut(after seconds: Int) -> Action? {
        switch state {
        case .awaitingRequest, .awaitingStartup, .awaitingPassword:
            return finish(.refuse(.connectionFailure, "the client did not log in within \(seconds)s"))
        case .negotiatingTLS:
            return finish(.close)
        case .admitting, .done:
            return nil
        }
    }

    /// The connection left the door (handed to the engine, or closed).
    mutating func leave() {
        state = .done
    }

    private mutating func received(_ message: PostgresFrontendMessage, packet: ByteBuffer, following: Int)
        -> Action
    {
        switch (state, message) {
        case (.awaitingRequest, .sslRequest):
            state = .negotiatingTLS(direct: false)
            return .acceptTLS
        case (.awaitingRequest, .gssEncRequest), (.awaitingStartup, .gssEncRequest):
            return finish(
                .refuse(
                    .featureNotSupported,
                    "the broker does not offer GSSAPI encryption: connect with gssencmode=disable and "
                        + "sslmode=verify-full"))
        case (.awaitingRequest, .startup):
            return finish(
                .refuse(
                    .invalidAuthorization,
                    "the broker accepts PostgreSQL connections over TLS only: connect with sslmode=verify-full and "
                        + "the broker's CA certificate as sslrootcert"))
        case (.awaitingRequest, .cancelRequest(let processID, let secretKey)),
            (.awaitingStartup, .cancelRequest(let processID, let secretKey)):
            state = .done
            return .cancel(processID: processID, secretKey: secretKey, request: packet)
        case (.awaitingStartup, .startup(let startup)):
            guard startup.protocolVersion.major == 3 else {
                return finish(
                    .refuse(
                        .featureNotSupported,
                        "protocol version \(startup.protocolVersion.major).\(startup.protocolVersion.minor) is not "
                            + "supported; the broker speaks 3.0"))
            }
            guard let user = startup.value(of: "user"), !user.isEmpty else {
                return finish(.refuse(.invalidAuthorization, "the startup packet names no user"))
            }
            state = .awaitingPassword(user: user, startup: packet)
            return .send(.authentication(.cleartextPassword))
        case (.awaitingPassword(let user, let startup), .passwordFamily(let body)):
            guard case .password(let password)? = try? PostgresPasswordFamilyMessage(body: body, as: .password) else {
                return finish(.refuse(.protocolViolation, "the password message is malformed"))
            }
            guard following == 0 else {
                return finish(.refuse(.protocolViolation, "the client sent data before its login was answered"))
            }
            state = .admitting
            return .admit(user: user, password: password, startup: startup)
        case (_, .terminate):
            return finish(.close)
        default:
            return finish(.refuse(.protocolViolation, "unexpected \(message) before login"))
        }
    }

    private mutating func finish(_ action: Action) -> Action {
        state = .done
        return action
    }
}
