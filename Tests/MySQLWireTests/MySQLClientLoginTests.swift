import CSodium
import CryptoExtras
import NIOCore
import Testing

@testable import MySQLWire

/// The broker's login to a target, exchange by exchange, against server packets built from the protocol
/// documentation.
///
/// No MySQL 8 server can be installed here (Debian 12 has none), so the caching_sha2_password exchanges (fast path,
/// full authentication over TLS, full authentication with the server's RSA key) are checked only against these
/// spec-derived exchanges; the MariaDB plugins are also checked against a real server in HoopTests.
@Suite("MySQL client login")
struct MySQLClientLoginTests {
    static let password = "hoop-test-password"
    static let nonce: [UInt8] = Array(1...20)

    static func handshake(
        plugin: MySQLAuthPlugin = .cachingSHA2Password,
        tls: Bool = true,
        capabilities: MySQLCapabilities = MySQLCapabilities(rawValue: 0xFFFF_FFFF)
    ) -> MySQLPacket {
        var offered = capabilities
        if !tls { offered.remove(.ssl) }
        let handshake = MySQLHandshakeV10(
            serverVersion: "8.0.36",
            connectionID: 77,
            authPluginData: nonce,
            capabilities: offered,
            characterSet: 255,
            statusFlags: .autocommit,
            authPluginName: plugin.rawValue
        )
        return MySQLPacket(sequenceID: 0, payload: handshake.payload)
    }

    static func server(_ sequenceID: UInt8, _ message: some MySQLEncodableMessage) -> MySQLPacket {
        MySQLPacket(sequenceID: sequenceID, payload: message.payload)
    }

    static func ok(_ sequenceID: UInt8, capabilities: MySQLCapabilities) -> MySQLPacket {
        MySQLPacket(
            sequenceID: sequenceID,
            payload: MySQLOKPacket(statusFlags: .autocommit).payload(capabilities: capabilities)
        )
    }

    /// The packet a `.send` action carries, or a failed expectation.
    static func sent(_ action: MySQLClientLogin.Action, sourceLocation: SourceLocation = #_sourceLocation)
        -> MySQLPacket?
    {
        guard case .send(let packet) = action else {
            Issue.record("expected .send, got \(action)", sourceLocation: sourceLocation)
            return nil
        }
        return packet
    }

    static func login(tls: MySQLTLSMode = .disable, database: String? = "testdb") -> MySQLClientLogin {
        MySQLClientLogin(
            username: "hoop",
            password: password,
            database: database,
            tls: tls,
            attributes: [.init(key: "_client_name", value: "hoopctl")]
        )
    }

    @Test("caching_sha2_password fast path: the scramble, 0x03, then OK")
    func cachingSHA2FastPath() throws {
        var login = Self.login()
        let first = try #require(Self.sent(try login.received(Self.handshake())))
        #expect(first.sequenceID == 1)
        let response = try MySQLHandshakeResponse41(parsing: first.payload)
        #expect(response.username == "hoop")
        #expect(response.database == "testdb")
        #expect(response.authPluginName == "caching_sha2_password")
        #expect(response.authResponse == MySQLAuth.cachingSHA2Scramble(password: Self.password, nonce: Self.nonce))
        #expect(response.attributes == [.init(key: "_client_name", value: "hoopctl")])
        let expected = MySQLClientLogin.wantedCapabilities.union(.connectWithDB)
        #expect(response.capabilities == expected)
        #expect(try login.received(Self.server(2, MySQLAuthMoreData(data: [0x03]))) == .wait)
        guard case .loggedIn(let session) = try login.received(Self.ok(3, capabilities: response.capabilities)) else {
            Issue.record("not logged in")
            return
        }
        #expect(session.connectionID == 77)
        #expect(session.authPlugin == .cachingSHA2Password)
        #expect(!session.usesTLS && !session.isMariaDB)
        #expect(session.capabilities == expected)
        #expect(session.characterSet == 45)
    }

    @Test("caching_sha2_password full authentication over TLS sends the password itself, inside TLS")
    func cachingSHA2FullOverTLS() throws {
        var login = Self.login(tls: .verifyFull)
        guard case .startTLS(let sslRequest) = try login.received(Self.handshake()) else {
            Issue.record("TLS not started")
            return
        }
        #expect(sslRequest.sequenceID == 1)
        #expect(MySQLSSLRequest.isSSLRequest(sslRequest.payload))
        let response = try #require(Self.sent(login.tlsEstablished()))
        #expect(response.sequenceID == 2)
        let parsed = try MySQLHandshakeResponse41(parsing: response.payload)
        #expect(parsed.capabilities.contains(.ssl))
        let cleartext = try #require(Self.sent(try login.received(Self.server(3, MySQLAuthMoreData(data: [0x04])))))
        #expect(cleartext == MySQLPacket(sequenceID: 4, payload: ByteBuffer(bytes: Array(Self.password.utf8) + [0])))
        guard case .loggedIn(let session) = try login.received(Self.ok(5, capabilities: parsed.capabilities)) else {
            Issue.record("not logged in")
            return
        }
        #expect(session.usesTLS)
    }

    @Test("caching_sha2_password full authentication without TLS asks for the RSA key and encrypts to it")
    func cachingSHA2FullWithRSA() throws {
        let key = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        var login = Self.login(tls: .disable)
        let first = try #require(Self.sent(try login.received(Self.handshake())))
        #expect(!(try MySQLHandshakeResponse41(parsing: first.payload).capabilities.contains(.ssl)))
        let request = try #require(Self.sent(try login.received(Self.server(2, MySQLAuthMoreData(data: [0x04])))))
        #expect(request == MySQLPacket(sequenceID: 3, payload: ByteBuffer(bytes: [0x02])))
        let pem = Array(key.publicKey.pemRepresentation.utf8)
        let encrypted = try #require(Self.sent(try login.received(Self.server(4, MySQLAuthMoreData(data: pem)))))
        #expect(encrypted.sequenceID == 5)
        let masked = Array(try key.decrypt(Array(encrypted.payload.readableBytesView), padding: .PKCS1_OAEP))
        #expect(masked.indices.map { masked[$0] ^ Self.nonce[$0 % 20] } == Array(Self.password.utf8) + [0])
        let capabilities = MySQLClientLogin.wantedCapabilities.union(.connectWithDB)
        guard case .loggedIn = try login.received(Self.ok(6, capabilities: capabilities)) else {
            Issue.record("not logged in")
            return
        }
    }

    @Test("with the target's public key configured, full authentication encrypts to it without asking the server")
    func pinnedPublicKey() throws {
        let key = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        var login = MySQLClientLogin(
            username: "hoop",
            password: Self.password,
            database: nil,
            tls: .disable,
            serverPublicKeyPEM: key.publicKey.pemRepresentation
        )
        _ = try login.received(Self.handshake())
        let encrypted = try #require(Self.sent(try login.received(Self.server(2, MySQLAuthMoreData(data: [0x04])))))
        #expect(encrypted.sequenceID == 3)
        let masked = Array(try key.decrypt(Array(encrypted.payload.readableBytesView), padding: .PKCS1_OAEP))
        #expect(masked.indices.map { masked[$0] ^ Self.nonce[$0 % 20] } == Array(Self.password.utf8) + [0])

        var sha256 = MySQLClientLogin(
            username: "hoop",
            password: Self.password,
            database: nil,
            tls: .disable,
            serverPublicKeyPEM: key.publicKey.pemRepresentation
        )
        _ = try sha256.received(Self.handshake(plugin: .nativePassword))
        let switchRequest = MySQLAuthSwitchRequest(pluginName: "sha256_password", pluginData: Self.nonce + [0])
        let direct = try #require(Self.sent(try sha256.received(Self.server(2, switchRequest))))
        #expect(direct.payload.readableBytes == 256)
    }

    @Test("sha256_password without TLS or a configured key asks the server for its key (0x01)")
    func sha256RequestsKey() throws {
        var login = Self.login()
        _ = try login.received(Self.handshake(plugin: .nativePassword))
        let switchRequest = MySQLAuthSwitchRequest(pluginName: "sha256_password", pluginData: Self.nonce + [0])
        let request = try #require(Self.sent(try login.received(Self.server(2, switchRequest))))
        #expect(request.payload == ByteBuffer(bytes: [0x01]))
    }

    @Test("a garbage public key fails the login with the reason")
    func badPublicKey() throws {
        var login = Self.login(tls: .disable)
        _ = try login.received(Self.handshake())
        _ = try login.received(Self.server(2, MySQLAuthMoreData(data: [0x04])))
        let action = try login.received(Self.server(4, MySQLAuthMoreData(data: Array("-----BEGIN".utf8))))
        guard case .fail(.serverPublicKeyUnusable) = action else {
            Issue.record("expected a key failure, got \(action)")
            return
        }
    }

    @Test("an auth switch to client_ed25519 answers with a signature of the new nonce")
    func switchToEd25519() throws {
        var login = Self.login()
        let first = try #require(Self.sent(try login.received(Self.handshake(plugin: .nativePassword))))
        let response = try MySQLHandshakeResponse41(parsing: first.payload)
        #expect(response.authPluginName == "mysql_native_password")
        #expect(response.authResponse == MySQLAuth.nativePassword(password: Self.password, nonce: Self.nonce))
        let message: [UInt8] = Array(200..<232)
        let switchRequest = MySQLAuthSwitchRequest(pluginName: "client_ed25519", pluginData: message)
        let signature = try #require(Self.sent(try login.received(Self.server(2, switchRequest))))
        #expect(signature.sequenceID == 3)
        let key = MySQLAuth.mariaDBEd25519PublicKey(password: Self.password)
        let bytes = Array(signature.payload.readableBytesView)
        #expect(crypto_sign_verify_detached(bytes, message, UInt64(message.count), key) == 0)
        guard case .loggedIn(let session) = try login.received(Self.ok(4, capabilities: response.capabilities)) else {
            Issue.record("not logged in")
            return
        }
        #expect(session.authPlugin == .clientEd25519)
    }

    @Test("mysql_clear_password is refused without TLS and answered inside it")
    func clearPassword() throws {
        var plain = Self.login()
        _ = try plain.received(Self.handshake(plugin: .nativePassword))
        let clear = MySQLAuthSwitchRequest(pluginName: "mysql_clear_password", pluginData: [])
        #expect(
            try plain.received(Self.server(2, clear)) == .fail(.cleartextWithoutTLS(plugin: "mysql_clear_password")))

        var encrypted = Self.login(tls: .require)
        _ = try encrypted.received(Self.handshake(plugin: .nativePassword))
        _ = encrypted.tlsEstablished()
        let answer = try #require(Self.sent(try encrypted.received(Self.server(3, clear))))
        #expect(answer.payload == ByteBuffer(bytes: Array(Self.password.utf8) + [0]))
    }

    @Test("the TLS modes: require fails without TLS on offer, prefer and disable go on without it")
    func tlsModes() throws {
        for mode in [MySQLTLSMode.require, .verifyFull] {
            var login = Self.login(tls: mode)
            #expect(try login.received(Self.handshake(tls: false)) == .fail(.tlsRequiredButNotOffered))
        }
        var prefer = Self.login(tls: .prefer)
        #expect(Self.sent(try prefer.received(Self.handshake(tls: false))) != nil)
        var preferOffered = Self.login(tls: .prefer)
        guard case .startTLS = try preferOffered.received(Self.handshake(tls: true)) else {
            Issue.record("prefer did not start offered TLS")
            return
        }
        var disable = Self.login(tls: .disable)
        #expect(Self.sent(try disable.received(Self.handshake(tls: true))) != nil)
    }

    @Test("the server's refusals fail the login with its error")
    func refusals() throws {
        var denied = Self.login()
        _ = try denied.received(Self.handshake(plugin: .nativePassword))
        let error = MySQLErrPacket(code: 1045, sqlState: "28000", message: "Access denied for user 'hoop'")
        #expect(try denied.received(Self.server(2, error)) == .fail(.accessDenied(error)))
        #expect(
            try denied.received(Self.server(3, error))
                == .fail(.protocolViolation("a packet arrived after the login ended")))

        var busy = Self.login()
        let tooMany = MySQLErrPacket(code: 1040, message: "Too many connections", hasSQLStateMarker: false)
        #expect(try busy.received(Self.server(0, tooMany)) == .fail(.serverError(tooMany)))

        var unknown = Self.login()
        _ = try unknown.received(Self.handshake(plugin: .nativePassword))
        let dialog = MySQLAuthSwitchRequest(pluginName: "dialog", pluginData: [])
        #expect(try unknown.received(Self.server(2, dialog)) == .fail(.unsupportedPlugin("dialog")))

        var old = Self.login()
        let ancient = MySQLCapabilities(rawValue: 0xFFFF_FFFF).subtracting(.protocol41)
        guard case .fail(.unsupportedServer) = try old.received(Self.handshake(capabilities: ancient)) else {
            Issue.record("a pre-4.1 server was not refused")
            return
        }
        var nul = MySQLClientLogin(username: "a\u{0}b", password: "", database: nil, tls: .disable)
        guard case .fail(.invalidLoginParameters) = try nul.received(Self.handshake()) else {
            Issue.record("a NUL in the username was not refused")
            return
        }
    }

    @Test("capabilities: only what the server offers, CONNECT_WITH_DB only with a database")
    func negotiation() throws {
        var login = Self.login(database: nil)
        let offered: MySQLCapabilities = [.protocol41, .secureConnection, .pluginAuth, .transactions, .connectWithDB]
        let first = try #require(Self.sent(try login.received(Self.handshake(capabilities: offered))))
        let response = try MySQLHandshakeResponse41(parsing: first.payload)
        #expect(response.capabilities == [.protocol41, .secureConnection, .pluginAuth, .transactions])
        #expect(response.database == nil)
    }
}
