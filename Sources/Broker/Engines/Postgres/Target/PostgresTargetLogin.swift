import NIOCore
import PostgresWire

/// The broker's login to the target as a value-type state machine: it answers each authentication request with the
/// held credentials and collects what the client must be told (server parameters, the backend key) until the
/// target is ready for queries. Pure logic, so every branch is testable without a server.
struct PostgresTargetLogin {
    /// What the target told the broker during login, relayed to the client afterwards.
    struct Session: Sendable {
        var parameters: [(name: String, value: String)]
        var processID: Int32
        var secretKey: ByteBuffer
        var transactionStatus: UInt8
    }

    enum Action {
        case send(PostgresFrontendMessage)
        case loggedIn(Session)
        case fail(PostgresTargetLoginError)
        case wait
    }

    private enum State {
        case started
        case scram(SCRAMSHA256Client)
        case authenticated
        case finished
    }

    private let user: String
    private let password: String
    /// Whether a cleartext-password request may be answered: on an encrypted connection, or where the resource
    /// allows it. Otherwise the held password would cross the network in the clear.
    private let cleartextAllowed: Bool
    private var state = State.started
    private var parameters: [(name: String, value: String)] = []
    private var key: (processID: Int32, secretKey: ByteBuffer)?

    init(user: String, password: String, cleartextAllowed: Bool) {
        self.user = user
        self.password = password
        self.cleartextAllowed = cleartextAllowed
    }

    /// The startup message: the target's user and database, plus the client's session parameters (encoding, date
    /// style, application name...) so the target behaves as the client expects. Whatever the client asked for as
    /// user, database or replication mode is dropped: the resource decides those.
    static func startup(
        user: String,
        database: String,
        clientParameters: [PostgresFrontendMessage.StartupMessage.Parameter]
    ) -> PostgresFrontendMessage {
        let reserved: Set<String> = ["user", "database", "replication"]
        let kept = clientParameters.filter { !reserved.contains($0.name) && !$0.name.hasPrefix("_pq_.") }
        return .startup(
            .init(
                protocolVersion: .v3_0,
                parameters: [.init(name: "user", value: user), .init(name: "database", value: database)] + kept
            )
        )
    }

    mutating func received(_ message: PostgresBackendMessage) -> Action {
        switch (state, message) {
        case (.started, .authentication(.ok)):
            state = .authenticated
            return .wait
        case (.scram(let client), .authentication(.ok)):
            guard client.isAuthenticated else {
                state = .finished
                return .fail(.protocolViolation("the target skipped the SCRAM server signature"))
            }
            state = .authenticated
            return .wait
        case (.started, .authentication(.cleartextPassword)):
            guard cleartextAllowed else {
                state = .finished
                return .fail(
                    .refused(
                        "the target asks for the password in clear text on a connection without TLS; the broker "
                            + "does not send it (use tls: require or verify-full, or set allow_plaintext_password: "
                            + "true on the resource)"))
            }
            return Self.send(.password(password))
        case (.started, .authentication(.md5Password(let salt))):
            let saltBytes = withUnsafeBytes(of: salt.bigEndian) { Array($0) }
            let answer = MD5Password.response(user: user, password: password, salt: saltBytes)
            return Self.send(.password(answer))
        case (.started, .authentication(.sasl(let mechanisms))):
            guard mechanisms.contains(SCRAMSHA256Client.mechanism) else {
                state = .finished
                return .fail(.unsupportedAuthentication("SASL mechanisms \(mechanisms.joined(separator: ", "))"))
            }
            var client = SCRAMSHA256Client(password: password)
            let first = client.firstMessage()
            state = .scram(client)
            return Self.send(
                .saslInitialResponse(.init(mechanism: SCRAMSHA256Client.mechanism, data: ByteBuffer(bytes: first)))
            )
        case (.scram(var client), .authentication(.saslContinue(let data))):
            do {
                let final = try client.finalMessage(serverFirst: Array(data.readableBytesView))
                state = .scram(client)
                return Self.send(.saslResponse(ByteBuffer(bytes: final)))
            } catch {
                state = .finished
                return .fail(.scram(error))
            }
        case (.scram(var client), .authentication(.saslFinal(let data))):
            do {
                try client.verify(serverFinal: Array(data.readableBytesView))
                state = .scram(client)
                return .wait
            } catch {
                state = .finished
                return .fail(.scram(error))
            }
        case (.authenticated, .parameterStatus(let name, let value)):
            parameters.append((name, value))
            return .wait
        case (.authenticated, .backendKeyData(let processID, let secretKey)):
            key = (processID, secretKey)
            return .wait
        case (.authenticated, .noticeResponse), (.authenticated, .negotiateProtocolVersion):
            return .wait
        case (.authenticated, .readyForQuery(let status)):
            state = .finished
            guard let key else { return .fail(.protocolViolation("the target sent no BackendKeyData")) }
            return .loggedIn(
                Session(
                    parameters: parameters,
                    processID: key.processID,
                    secretKey: key.secretKey,
                    transactionStatus: status.rawValue
                )
            )
        case (_, .errorResponse(let diagnostic)):
            state = .finished
            return .fail(.rejected(diagnostic))
        case (.started, .authentication(let request)), (.scram, .authentication(let request)):
            state = .finished
            return .fail(.unsupportedAuthentication("\(request)"))
        default:
            state = .finished
            return .fail(.protocolViolation("unexpected \(message) during login"))
        }
    }

    /// Wraps a 'p' message body. Encoding a held password cannot fail except on an embedded NUL, which the
    /// broker reports rather than sending something else.
    private static func send(_ message: PostgresPasswordFamilyMessage) -> Action {
        do {
            return .send(try message.message())
        } catch {
            return .fail(
                .credentials(SecretError(reference: "the target password", problem: "cannot be sent: \(error)")))
        }
    }
}

/// Why the broker could not log in to the target. Shown to the client without any credential material.
enum PostgresTargetLoginError: Error, CustomStringConvertible {
    case rejected(PostgresBackendMessage.Diagnostic)
    case unsupportedAuthentication(String)
    case scram(SCRAMError)
    case protocolViolation(String)
    case tlsRequired
    case credentials(SecretError)
    case connection(String)
    /// The broker's own policy refuses the login before the target is dialled.
    case refused(String)

    var description: String {
        switch self {
        case .rejected(let diagnostic):
            "the target refused the broker's login: \(diagnostic.message ?? "no message") (\(diagnostic.sqlState?.rawValue ?? "?"))"
        case .unsupportedAuthentication(let what): "the target asks for unsupported authentication: \(what)"
        case .scram(let error): error.description
        case .protocolViolation(let what): "the target broke the protocol: \(what)"
        case .tlsRequired: "the target does not offer TLS, which this resource requires"
        case .credentials(let error): "the broker cannot use its credentials: \(error)"
        case .connection(let what): "the connection to the target failed: \(what)"
        case .refused(let why): why
        }
    }
}
