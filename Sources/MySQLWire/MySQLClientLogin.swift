import NIOCore

/// The broker logging in to a MySQL or MariaDB target as a client: a value-type state machine fed the server's
/// packets, returning what to do next, so the exchange is testable without a socket.
///
/// The handler owning it sends `.send` packets, performs `.startTLS` (send the SSLRequest packet in the clear, add
/// the TLS handler, call `tlsEstablished()` once the TLS handshake completes and send what it returns), and stops
/// at `.loggedIn` or `.fail`.
package struct MySQLClientLogin: Sendable {
    package enum Action: Sendable, Equatable {
        case send(MySQLPacket)
        /// Send `then` (the SSLRequest) in the clear, start TLS, then call `tlsEstablished()`.
        case startTLS(then: MySQLPacket)
        /// Nothing to send: the server's next packet follows on its own (the OK after caching_sha2_password's
        /// fast-auth success).
        case wait
        case loggedIn(MySQLTargetSession)
        case fail(MySQLLoginError)
    }

    /// What the broker asks for; each is used only when the server offers it.
    package static let wantedCapabilities: MySQLCapabilities = [
        .protocol41, .secureConnection, .pluginAuth, .pluginAuthLenencClientData, .multiStatements, .multiResults,
        .psMultiResults, .deprecateEOF, .transactions, .longPassword, .longFlag, .connectAttrs, .sessionTrack,
        .localFiles,
    ]
    /// utf8mb4_general_ci, which every supported server knows.
    package static let defaultCharacterSet: UInt8 = 45
    /// caching_sha2_password's AuthMoreData answers.
    static let fastAuthSuccess: UInt8 = 0x03
    static let performFullAuthentication: UInt8 = 0x04
    static let requestPublicKey: UInt8 = 0x02
    /// sha256_password's request for the server's public key.
    static let sha256RequestPublicKey: UInt8 = 0x01
    /// How many authentication switches a server may ask for before the login is abandoned.
    static let maximumSwitches = 2

    private enum State: Sendable {
        case awaitingHandshake
        case awaitingTLS
        case authenticating(MySQLAuthPlugin, nonce: [UInt8])
        case awaitingPublicKey(MySQLAuthPlugin, nonce: [UInt8])
        case finished
    }

    package let username: String
    private let password: String
    package let database: String?
    package let tls: MySQLTLSMode
    package let characterSet: UInt8
    package let attributes: [MySQLHandshakeResponse41.Attribute]
    /// What to ask for (before CONNECT_WITH_DB and SSL, which follow `database` and `tls`). The engine can narrow
    /// the default to mirror its client, e.g. leave out DEPRECATE_EOF for a client without it so packets pass
    /// through unchanged; PROTOCOL_41 and SECURE_CONNECTION are always asked for.
    package let requestedCapabilities: MySQLCapabilities
    /// The target's RSA public key (PEM), for caching_sha2_password and sha256_password full authentication without
    /// TLS. Without it the key is requested from the server over the unencrypted connection, where whoever sits in
    /// the middle can hand over their own key and decrypt the password: configure it, or use TLS.
    package let serverPublicKeyPEM: String?

    private var state: State = .awaitingHandshake
    private var handshake: MySQLHandshakeV10?
    private var capabilities: MySQLCapabilities = []
    private var usesTLS = false
    private var switches = 0
    private var nextSequenceID: UInt8 = 0

    package init(
        username: String,
        password: String,
        database: String?,
        tls: MySQLTLSMode,
        characterSet: UInt8 = Self.defaultCharacterSet,
        attributes: [MySQLHandshakeResponse41.Attribute] = [],
        capabilities: MySQLCapabilities = Self.wantedCapabilities,
        serverPublicKeyPEM: String? = nil
    ) {
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.characterSet = characterSet
        self.attributes = attributes
        self.serverPublicKeyPEM = serverPublicKeyPEM
        self.requestedCapabilities = capabilities.union([.protocol41, .secureConnection]).subtracting([
            .connectWithDB, .ssl,
        ])
    }

    /// Feeds one packet from the server.
    package mutating func received(_ packet: MySQLPacket) throws(MySQLLoginError) -> Action {
        nextSequenceID = packet.nextSequenceID
        do {
            switch state {
            case .awaitingHandshake:
                return try handshakeReceived(packet.payload)
            case .authenticating(let plugin, let nonce):
                return try authenticationPacket(packet.payload, plugin: plugin, nonce: nonce)
            case .awaitingPublicKey(let plugin, let nonce):
                return try publicKeyReceived(packet.payload, plugin: plugin, nonce: nonce)
            case .awaitingTLS:
                throw MySQLLoginError.protocolViolation("the server sent a packet before the TLS handshake")
            case .finished:
                throw MySQLLoginError.protocolViolation("a packet arrived after the login ended")
            }
        } catch let error as MySQLLoginError {
            state = .finished
            return .fail(error)
        } catch let error as MySQLWireError {
            state = .finished
            return .fail(.malformed(error))
        } catch {
            state = .finished
            return .fail(.protocolViolation(String(describing: error)))
        }
    }

    /// The TLS handshake that `.startTLS` asked for has completed: the handshake response follows, encrypted.
    package mutating func tlsEstablished() -> Action {
        guard case .awaitingTLS = state, let handshake else {
            state = .finished
            return .fail(.protocolViolation("TLS was established when the login was not waiting for it"))
        }
        usesTLS = true
        return handshakeResponse(to: handshake)
    }

    // MARK: - Handshake

    private mutating func handshakeReceived(_ payload: ByteBuffer) throws -> Action {
        if payload.getInteger(at: payload.readerIndex, as: UInt8.self) == MySQLErrPacket.header {
            throw MySQLLoginError.serverError(try MySQLErrPacket(parsing: payload))
        }
        guard username.isMySQLNullTerminatable, database?.isMySQLNullTerminatable ?? true else {
            throw MySQLLoginError.invalidLoginParameters("the username or database contains a NUL byte")
        }
        let handshake = try MySQLHandshakeV10(parsing: payload)
        guard handshake.capabilities.isSuperset(of: [.protocol41, .secureConnection]) else {
            throw MySQLLoginError.unsupportedServer("\(handshake.serverVersion) lacks the 4.1 protocol")
        }
        self.handshake = handshake
        var wanted = requestedCapabilities
        if database != nil { wanted.insert(.connectWithDB) }
        let offersTLS = handshake.capabilities.contains(.ssl)
        if tls.isRequired && !offersTLS { throw MySQLLoginError.tlsRequiredButNotOffered }
        if tls != .disable && offersTLS { wanted.insert(.ssl) }
        capabilities = wanted.intersection(handshake.capabilities)
        guard capabilities.contains(.ssl) else {
            return handshakeResponse(to: handshake)
        }
        state = .awaitingTLS
        let request = MySQLSSLRequest(
            capabilities: capabilities,
            maxPacketSize: Self.maxPacketSize,
            characterSet: characterSet
        )
        let sslRequest = packet(request.payload)
        // The handshake response inside TLS continues the sequence after the SSLRequest.
        nextSequenceID &+= 1
        return .startTLS(then: sslRequest)
    }

    private static let maxPacketSize = UInt32(MySQLPacketDecoder.defaultMaximumPacketSize)

    /// The first authentication answer: with the server's proposed plugin when it is one the broker speaks without
    /// sending the password, else with mysql_native_password (the server switches the account's plugin in).
    private mutating func handshakeResponse(to handshake: MySQLHandshakeV10) -> Action {
        var plugin = MySQLAuthPlugin(rawValue: handshake.authPluginName ?? "") ?? .nativePassword
        if plugin == .clearPassword || plugin == .sha256Password {
            plugin = .nativePassword
        }
        let nonce = handshake.authPluginData
        state = .authenticating(plugin, nonce: nonce)
        let response = MySQLHandshakeResponse41(
            capabilities: capabilities,
            maxPacketSize: Self.maxPacketSize,
            characterSet: characterSet,
            username: username,
            authResponse: proof(for: plugin, nonce: nonce),
            database: database,
            authPluginName: capabilities.contains(.pluginAuth) ? plugin.rawValue : nil,
            attributes: attributes
        )
        return .send(packet(response.payload))
    }

    /// The answer a plugin gives to a nonce without further exchange.
    private func proof(for plugin: MySQLAuthPlugin, nonce: [UInt8]) -> [UInt8] {
        switch plugin {
        case .nativePassword:
            MySQLAuth.nativePassword(password: password, nonce: nonce)
        case .cachingSHA2Password:
            MySQLAuth.cachingSHA2Scramble(password: password, nonce: nonce)
        case .clientEd25519:
            MySQLAuth.mariaDBEd25519Sign(password: password, message: nonce)
        case .clearPassword, .sha256Password:
            cleartextPassword
        }
    }

    private var cleartextPassword: [UInt8] {
        Array(password.utf8) + [0]
    }

    // MARK: - Authentication

    private mutating func authenticationPacket(_ payload: ByteBuffer, plugin: MySQLAuthPlugin, nonce: [UInt8])
        throws -> Action
    {
        switch payload.getInteger(at: payload.readerIndex, as: UInt8.self) {
        case MySQLOKPacket.header:
            return try loggedIn(MySQLOKPacket(parsing: payload, capabilities: capabilities), plugin: plugin)
        case MySQLErrPacket.header:
            throw MySQLLoginError.accessDenied(try MySQLErrPacket(parsing: payload))
        case MySQLAuthSwitchRequest.header:
            return try authSwitch(MySQLAuthSwitchRequest(parsing: payload))
        case MySQLAuthMoreData.header:
            return try moreData(MySQLAuthMoreData(parsing: payload).data, plugin: plugin, nonce: nonce)
        default:
            throw MySQLLoginError.protocolViolation("unexpected packet during authentication")
        }
    }

    private mutating func loggedIn(_ ok: MySQLOKPacket, plugin: MySQLAuthPlugin) -> Action {
        state = .finished
        let handshake = handshake!
        return .loggedIn(
            MySQLTargetSession(
                connectionID: handshake.connectionID,
                serverVersion: handshake.serverVersion,
                capabilities: capabilities,
                statusFlags: ok.statusFlags,
                characterSet: characterSet,
                isMariaDB: handshake.isMariaDB,
                authPlugin: plugin,
                usesTLS: usesTLS
            )
        )
    }

    private mutating func authSwitch(_ request: MySQLAuthSwitchRequest) throws -> Action {
        switches += 1
        guard switches <= Self.maximumSwitches else {
            throw MySQLLoginError.protocolViolation("the server asked for more than \(Self.maximumSwitches) switches")
        }
        guard let plugin = MySQLAuthPlugin(rawValue: request.pluginName) else {
            throw MySQLLoginError.unsupportedPlugin(request.pluginName)
        }
        if plugin.sendsCleartext && !usesTLS {
            throw MySQLLoginError.cleartextWithoutTLS(plugin: plugin.rawValue)
        }
        let nonce = request.nonce
        if plugin == .sha256Password && !usesTLS {
            // Without TLS the password goes RSA-encrypted: to the configured key, or to the one the server sends.
            if let serverPublicKeyPEM {
                state = .authenticating(plugin, nonce: nonce)
                let encrypted = try MySQLAuth.cachingSHA2RSAEncrypt(
                    password: password,
                    nonce: nonce,
                    publicKeyPEM: serverPublicKeyPEM
                )
                return .send(packet(ByteBuffer(bytes: encrypted)))
            }
            state = .awaitingPublicKey(plugin, nonce: nonce)
            return .send(packet(ByteBuffer(bytes: [Self.sha256RequestPublicKey])))
        }
        state = .authenticating(plugin, nonce: nonce)
        return .send(packet(ByteBuffer(bytes: proof(for: plugin, nonce: nonce))))
    }

    private mutating func moreData(_ data: [UInt8], plugin: MySQLAuthPlugin, nonce: [UInt8]) throws -> Action {
        guard plugin == .cachingSHA2Password, data.count == 1 else {
            throw MySQLLoginError.protocolViolation("unexpected AuthMoreData for \(plugin.rawValue)")
        }
        switch data[0] {
        case Self.fastAuthSuccess:
            // The server's cache had the account: the OK follows.
            return .wait
        case Self.performFullAuthentication:
            if usesTLS {
                return .send(packet(ByteBuffer(bytes: cleartextPassword)))
            }
            if let serverPublicKeyPEM {
                let encrypted = try MySQLAuth.cachingSHA2RSAEncrypt(
                    password: password,
                    nonce: nonce,
                    publicKeyPEM: serverPublicKeyPEM
                )
                return .send(packet(ByteBuffer(bytes: encrypted)))
            }
            state = .awaitingPublicKey(plugin, nonce: nonce)
            return .send(packet(ByteBuffer(bytes: [Self.requestPublicKey])))
        default:
            throw MySQLLoginError.protocolViolation("unknown caching_sha2_password state \(data[0])")
        }
    }

    private mutating func publicKeyReceived(_ payload: ByteBuffer, plugin: MySQLAuthPlugin, nonce: [UInt8])
        throws -> Action
    {
        switch payload.getInteger(at: payload.readerIndex, as: UInt8.self) {
        case MySQLErrPacket.header:
            throw MySQLLoginError.accessDenied(try MySQLErrPacket(parsing: payload))
        case MySQLAuthMoreData.header:
            let pem = String(decoding: try MySQLAuthMoreData(parsing: payload).data, as: UTF8.self)
            let encrypted = try MySQLAuth.cachingSHA2RSAEncrypt(password: password, nonce: nonce, publicKeyPEM: pem)
            state = .authenticating(plugin, nonce: nonce)
            return .send(packet(ByteBuffer(bytes: encrypted)))
        default:
            throw MySQLLoginError.protocolViolation("expected the server's public key")
        }
    }

    private func packet(_ payload: ByteBuffer) -> MySQLPacket {
        MySQLPacket(sequenceID: nextSequenceID, payload: payload)
    }
}
