import Crypto
import MySQLWire
import NIOCore

/// The server side of the MySQL handshake, toward the local client: the broker greets the client in the target's
/// name (its version, character set and the capabilities the relay can keep), checks the session password, and only
/// then has the target login completed with what the client negotiated, so both sides of the relay read every
/// packet the same way.
///
/// The client proves the password with `mysql_native_password` or the fast path of `caching_sha2_password` (what
/// MySQL 8 clients start with); any other plugin is switched to `mysql_native_password`. The password itself never
/// crosses the local hop. TLS is not offered: the local hop is loopback.
struct MySQLFrontDoor {
    /// What the handler does next.
    enum Action: Equatable {
        /// Send these packets to the client.
        case send([MySQLPacket])
        /// The client proved the session password: log in to the target with what it negotiated, then finish with
        /// `targetReady`.
        case loginToTarget(MySQLClientRequest)
        /// Refuse the connection with this error, then close.
        case refuse(MySQLPacket)
    }

    /// The plugins the broker verifies itself.
    enum Plugin: String {
        case nativePassword = "mysql_native_password"
        case cachingSHA2 = "caching_sha2_password"
    }

    /// What the relay can keep identical on both sides. Left out: compression and TLS (the local hop is loopback),
    /// `IGNORE_SPACE` (it changes how the server reads function names, which the judge must read the same way),
    /// query attributes and optional metadata (they change COM_QUERY and result layouts), and the capabilities that
    /// only matter to the broker's own login.
    static let relayable: MySQLCapabilities = [
        .longPassword, .foundRows, .longFlag, .connectWithDB, .noSchema, .protocol41, .interactive, .ignoreSigpipe,
        .transactions, .secureConnection, .multiStatements, .multiResults, .psMultiResults, .pluginAuth,
        .connectAttrs, .pluginAuthLenencClientData, .sessionTrack, .deprecateEOF,
    ]

    private enum State {
        case greeting
        case greeted
        case switched(MySQLHandshakeResponse41)
        case loggingIn
        case done
    }

    private let sessionPassword: String
    private let allowLocalInfile: Bool
    private var state = State.greeting
    private(set) var nonce: [UInt8] = []
    private var offered: MySQLCapabilities = []

    init(sessionPassword: String, allowLocalInfile: Bool) {
        self.sessionPassword = sessionPassword
        self.allowLocalInfile = allowLocalInfile
    }

    /// The greeting in the target's name, with the broker's own nonce and the connection id the client will use
    /// for KILL (`connectionID`, issued by the broker, not the target's).
    mutating func greeting(for target: MySQLHandshakeV10, connectionID: UInt32) -> MySQLPacket {
        nonce = Self.makeNonce()
        var relayable = Self.relayable
        if allowLocalInfile { relayable.insert(.localFiles) }
        offered = target.capabilities.intersection(relayable).union([.protocol41, .secureConnection, .pluginAuth])
        state = .greeted
        let greeting = MySQLHandshakeV10(
            serverVersion: target.serverVersion,
            connectionID: connectionID,
            authPluginData: nonce,
            capabilities: offered,
            characterSet: target.characterSet,
            statusFlags: target.statusFlags,
            authPluginName: Plugin.nativePassword.rawValue,
            // MariaDB's extensions (metadata caching, progress reports, bulk operations) are not offered: they
            // change result layouts the broker must read.
            mariaDBCapabilities: target.mariaDBCapabilities.map { _ in [] }
        )
        return MySQLPacket(sequenceID: 0, payload: greeting.payload)
    }

    mutating func received(_ packet: MySQLPacket) -> Action {
        switch state {
        case .greeted:
            return handshakeResponse(packet)
        case .switched(let response):
            let proof = Array(packet.payload.readableBytesView)
            return verify(response, plugin: .nativePassword, proof: proof, next: packet.nextSequenceID)
        case .greeting, .loggingIn, .done:
            return .refuse(
                Self.error(.protocolError, "unexpected packet during login", sequenceID: packet.nextSequenceID))
        }
    }

    /// The OK that lets the client in, once the target accepted the broker's login.
    mutating func targetReady(_ session: MySQLTargetSessionSummary, request: MySQLClientRequest) -> [MySQLPacket] {
        state = .done
        var packets: [MySQLPacket] = []
        var sequence = request.nextSequenceID
        if request.plugin == .cachingSHA2 {
            // caching_sha2_password's "fast authentication succeeded" before the OK.
            packets.append(MySQLPacket(sequenceID: sequence, payload: MySQLAuthMoreData(data: [0x03]).payload))
            sequence &+= 1
        }
        let ok = MySQLOKPacket(statusFlags: session.statusFlags)
        packets.append(MySQLPacket(sequenceID: sequence, payload: ok.payload(capabilities: request.capabilities)))
        return packets
    }

    private mutating func handshakeResponse(_ packet: MySQLPacket) -> Action {
        if packet.payload.readableBytes == MySQLSSLRequest.length {
            return .refuse(
                Self.error(
                    .accessDenied,
                    "the local port of hoopctl connect does not offer TLS (it is loopback); "
                        + "connect without TLS (--ssl-mode=DISABLED or --skip-ssl)",
                    sequenceID: packet.nextSequenceID))
        }
        let response: MySQLHandshakeResponse41
        do {
            response = try MySQLHandshakeResponse41(parsing: packet.payload)
        } catch {
            return .refuse(
                Self.error(.protocolError, "malformed handshake response: \(error)", sequenceID: packet.nextSequenceID)
            )
        }
        guard response.capabilities.contains(.protocol41) else {
            return .refuse(
                Self.error(.protocolError, "the client must speak protocol 4.1", sequenceID: packet.nextSequenceID))
        }
        switch response.authPluginName.flatMap(Plugin.init(rawValue:)) {
        case .some(let plugin) where !response.authResponse.isEmpty:
            return verify(response, plugin: plugin, proof: response.authResponse, next: packet.nextSequenceID)
        default:
            // Another plugin, or none: ask for mysql_native_password over the same nonce.
            state = .switched(response)
            let request = MySQLAuthSwitchRequest(pluginName: Plugin.nativePassword.rawValue, pluginData: nonce + [0])
            return .send([MySQLPacket(sequenceID: packet.nextSequenceID, payload: request.payload)])
        }
    }

    private mutating func verify(
        _ response: MySQLHandshakeResponse41, plugin: Plugin, proof: [UInt8], next: UInt8
    ) -> Action {
        let proven: Bool
        switch plugin {
        case .nativePassword:
            proven = MySQLAuth.verifyNativePassword(response: proof, nonce: nonce, password: sessionPassword)
        case .cachingSHA2:
            proven = MySQLAuth.verifyCachingSHA2Scramble(response: proof, nonce: nonce, password: sessionPassword)
        }
        guard proven else {
            state = .done
            return .refuse(
                Self.error(
                    .accessDenied,
                    "access denied: the password is not this session's (hoopctl connect prints it)",
                    sequenceID: next))
        }
        state = .loggingIn
        return .loginToTarget(
            MySQLClientRequest(
                capabilities: response.capabilities.intersection(offered),
                characterSet: response.characterSet,
                database: response.database,
                attributes: response.attributes,
                plugin: plugin,
                nextSequenceID: next
            ))
    }

    /// 20 random bytes without NUL, which ends the nonce's second part on the wire.
    private static func makeNonce() -> [UInt8] {
        (0..<20).map { _ in UInt8.random(in: 1...127) }
    }

    /// An error packet for the handshake phase.
    static func error(_ code: MySQLBrokerError, _ message: String, sequenceID: UInt8) -> MySQLPacket {
        MySQLPacket(sequenceID: sequenceID, payload: code.packet(message).payload)
    }
}

/// What the client asked for in its handshake response, once its password is proven.
struct MySQLClientRequest: Equatable {
    /// The client's capabilities within what the broker offered: the target login asks for exactly these.
    var capabilities: MySQLCapabilities
    var characterSet: UInt8
    var database: String?
    var attributes: [MySQLHandshakeResponse41.Attribute]
    var plugin: MySQLFrontDoor.Plugin
    /// The sequence id of the broker's next packet to the client.
    var nextSequenceID: UInt8
}

/// What the relay needs of the target's session once the broker's login succeeded.
struct MySQLTargetSessionSummary: Equatable {
    var connectionID: UInt32
    var statusFlags: MySQLServerStatus
}
