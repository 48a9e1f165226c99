import NIOCore
import PostgresWire

/// The broker's face toward a PostgreSQL client, until the session is relayed: it declines encryption (the tunnel
/// is already TLS and the local leg is loopback), asks for the per-session password, logs in to the target with
/// the held credentials, and then tells the client what the target said — its parameters and a broker-made backend
/// key that maps to the target's, so cancel requests can be routed without revealing the real one.
///
/// A value-type state machine returning actions, so the handler only performs them.
struct PostgresFrontDoor {
    enum Action {
        /// Write these bytes unframed (the one-byte answer to SSLRequest/GSSENCRequest).
        case sendRaw(ByteBuffer)
        case send([PostgresBackendMessage])
        /// The client proved the session password: log in to the target with these startup parameters.
        case loginToTarget([PostgresFrontendMessage.StartupMessage.Parameter])
        /// Forward a cancel request for the session's query with this (broker-made) key.
        case cancel(processID: Int32, secretKey: ByteBuffer)
        /// Send a fatal error and close.
        case refuse(sqlState: SQLState, message: String)
        /// The client has gone; close quietly.
        case close
    }

    private enum State {
        case awaitingStartup
        case awaitingPassword(PostgresFrontendMessage.StartupMessage)
        case loggingIn
        case ready
    }

    private let password: String
    /// The client already proved the session's login on the broker's direct listener, which read its startup
    /// packet and password there; the startup packet is passed on here and the password is not asked again.
    private let loginProven: Bool
    private var state = State.awaitingStartup

    init(sessionPassword: String, loginProven: Bool = false) {
        password = sessionPassword
        self.loginProven = loginProven
    }

    mutating func received(_ message: PostgresFrontendMessage) -> Action {
        switch (state, message) {
        case (.awaitingStartup, .sslRequest), (.awaitingStartup, .gssEncRequest):
            return .sendRaw(ByteBuffer(integer: UInt8(ascii: "N")))
        case (.awaitingStartup, .startup(let startup)) where loginProven:
            state = .loggingIn
            return .loginToTarget(startup.parameters)
        case (.awaitingStartup, .startup(let startup)):
            state = .awaitingPassword(startup)
            return .send([.authentication(.cleartextPassword)])
        case (.awaitingStartup, .cancelRequest(let processID, let secretKey)):
            return .cancel(processID: processID, secretKey: secretKey)
        case (.awaitingPassword(let startup), .passwordFamily(let body)):
            guard case .password(let offered)? = try? PostgresPasswordFamilyMessage(body: body, as: .password),
                SessionPassword.matches(offered, password)
            else {
                return .refuse(sqlState: .invalidPassword, message: "password authentication failed for this session")
            }
            state = .loggingIn
            return .loginToTarget(startup.parameters)
        case (_, .terminate):
            return .close
        default:
            return .refuse(sqlState: .protocolViolation, message: "unexpected \(message) before the session was ready")
        }
    }

    /// The target accepted the broker's login: what the client must hear before its first query.
    mutating func targetReady(_ session: PostgresTargetLogin.Session, clientKey: (Int32, ByteBuffer))
        -> [PostgresBackendMessage]
    {
        state = .ready
        var messages: [PostgresBackendMessage] = [.authentication(.ok)]
        messages += session.parameters.map { .parameterStatus(name: $0.name, value: $0.value) }
        messages.append(.backendKeyData(processID: clientKey.0, secretKey: clientKey.1))
        messages.append(.readyForQuery(.init(rawValue: session.transactionStatus) ?? .idle))
        return messages
    }
}
