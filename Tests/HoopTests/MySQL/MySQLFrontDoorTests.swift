import Foundation
import MySQLWire
import NIOCore
import Testing

@testable import Broker

/// The server side of the handshake toward the local client, without sockets: what the broker offers, how it
/// checks the session password under each plugin, and what it refuses.
@Suite("MySQL front door")
struct MySQLFrontDoorTests {
    static let password = "session-password"

    /// A MariaDB-like greeting offering everything, compression and TLS included.
    static let target = MySQLHandshakeV10(
        serverVersion: "5.5.5-10.11.6-MariaDB",
        connectionID: 77,
        authPluginData: Array(repeating: 0x41, count: 20),
        capabilities: MySQLCapabilities(rawValue: 0xFFFF_FFFE),
        characterSet: 45,
        statusFlags: [.autocommit],
        authPluginName: "mysql_native_password",
        mariaDBCapabilities: [.cacheMetadata, .progress]
    )

    static func greeted(allowLocalInfile: Bool = false) -> (MySQLFrontDoor, MySQLHandshakeV10) {
        var door = MySQLFrontDoor(sessionPassword: password, allowLocalInfile: allowLocalInfile)
        let packet = door.greeting(for: target, connectionID: 4242)
        return (door, try! MySQLHandshakeV10(parsing: packet.payload))
    }

    static func response(
        plugin: String?, proof: [UInt8],
        capabilities: MySQLCapabilities = [
            .protocol41, .secureConnection,
            .pluginAuth, .connectWithDB, .deprecateEOF, .multiStatements, .compress, .ignoreSpace,
        ]
    ) -> MySQLPacket {
        let response = MySQLHandshakeResponse41(
            capabilities: capabilities, maxPacketSize: 1 << 24, characterSet: 45, username: "hoop",
            authResponse: proof, database: "testdb", authPluginName: plugin)
        return MySQLPacket(sequenceID: 1, payload: response.payload)
    }

    @Test("the greeting speaks in the target's name with the broker's own id and nonce, and offers only what relays")
    func greeting() {
        let (_, greeting) = Self.greeted()
        #expect(greeting.serverVersion == Self.target.serverVersion)
        #expect(greeting.connectionID == 4242)
        #expect(greeting.authPluginData != Self.target.authPluginData)
        #expect(greeting.authPluginData.count == 20 && !greeting.authPluginData.contains(0))
        for absent: MySQLCapabilities in [
            .compress, .ssl, .ignoreSpace, .localFiles, .queryAttributes,
            .optionalResultsetMetadata,
        ] {
            #expect(!greeting.capabilities.contains(absent))
        }
        #expect(greeting.capabilities.isSuperset(of: [.protocol41, .deprecateEOF, .multiResults, .sessionTrack]))
        #expect(greeting.mariaDBCapabilities == [], "MariaDB extensions change layouts the broker reads")
        let (_, allowing) = Self.greeted(allowLocalInfile: true)
        #expect(allowing.capabilities.contains(.localFiles))
    }

    @Test("mysql_native_password with the session password lets the client in with what it may negotiate")
    func nativePassword() {
        var (door, greeting) = Self.greeted()
        let proof = MySQLAuth.nativePassword(password: Self.password, nonce: greeting.authPluginData)
        guard
            case .loginToTarget(let request) = door.received(
                Self.response(plugin: "mysql_native_password", proof: proof))
        else {
            Issue.record("the right password was refused")
            return
        }
        #expect(request.database == "testdb")
        #expect(request.nextSequenceID == 2)
        #expect(!request.capabilities.contains(.compress) && !request.capabilities.contains(.ignoreSpace))
        let ready = door.targetReady(
            MySQLTargetSessionSummary(connectionID: 9, statusFlags: [.autocommit]), request: request)
        #expect(ready.count == 1 && ready[0].sequenceID == 2)
        #expect(ready[0].payload.readableBytesView.first == MySQLOKPacket.header)
    }

    @Test("caching_sha2_password's fast path is checked too, and answered with fast-auth success before the OK")
    func cachingSHA2() {
        var (door, greeting) = Self.greeted()
        let proof = MySQLAuth.cachingSHA2Scramble(password: Self.password, nonce: greeting.authPluginData)
        guard
            case .loginToTarget(let request) = door.received(
                Self.response(plugin: "caching_sha2_password", proof: proof))
        else {
            Issue.record("the right password was refused")
            return
        }
        let ready = door.targetReady(MySQLTargetSessionSummary(connectionID: 9, statusFlags: []), request: request)
        #expect(ready.map(\.sequenceID) == [2, 3])
        #expect(Array(ready[0].payload.readableBytesView) == [0x01, 0x03])
    }

    @Test("any other plugin is switched to mysql_native_password over the same nonce")
    func authSwitch() throws {
        var (door, greeting) = Self.greeted()
        guard case .send(let packets) = door.received(Self.response(plugin: "sha256_password", proof: [1, 2, 3])) else {
            Issue.record("no auth switch")
            return
        }
        let request = try MySQLAuthSwitchRequest(parsing: packets[0].payload)
        #expect(request.pluginName == "mysql_native_password")
        #expect(request.nonce == greeting.authPluginData)
        let proof = MySQLAuth.nativePassword(password: Self.password, nonce: greeting.authPluginData)
        let answer = door.received(MySQLPacket(sequenceID: 3, payload: ByteBuffer(bytes: proof)))
        guard case .loginToTarget(let login) = answer else {
            Issue.record("the switched proof was refused: \(answer)")
            return
        }
        #expect(login.nextSequenceID == 4)
    }

    @Test("a wrong password, a replayed proof from another nonce, or an empty one is refused with 1045")
    func wrongPasswords() throws {
        let nonces = [Self.greeted().1.authPluginData, Array(repeating: UInt8(0x42), count: 20)]
        for (index, proof) in [
            MySQLAuth.nativePassword(password: "guess", nonce: nonces[0]),
            MySQLAuth.nativePassword(password: Self.password, nonce: nonces[1]),
        ].enumerated() {
            var (door, _) = Self.greeted()
            guard case .refuse(let packet) = door.received(Self.response(plugin: "mysql_native_password", proof: proof))
            else {
                Issue.record("proof \(index) was accepted")
                continue
            }
            let error = try MySQLErrPacket(parsing: packet.payload)
            #expect(error.code == 1045 && error.sqlState == "28000")
        }
        var (door, _) = Self.greeted()
        // No proof at all is asked again by a switch, whose empty answer is refused.
        _ = door.received(Self.response(plugin: "mysql_native_password", proof: []))
        guard case .refuse = door.received(MySQLPacket(sequenceID: 3, payload: ByteBuffer())) else {
            Issue.record("an empty proof was accepted")
            return
        }
    }

    @Test("an SSLRequest, a malformed response or a pre-4.1 client is refused with a clear error")
    func refusals() throws {
        var (door, _) = Self.greeted()
        let ssl = MySQLSSLRequest(capabilities: [.protocol41, .ssl], maxPacketSize: 1 << 24, characterSet: 45)
        guard case .refuse(let packet) = door.received(MySQLPacket(sequenceID: 1, payload: ssl.payload)) else {
            Issue.record("an SSLRequest was not refused")
            return
        }
        #expect(try MySQLErrPacket(parsing: packet.payload).message.contains("does not offer TLS"))
        for payload in [ByteBuffer(bytes: [0x01, 0x02]), ByteBuffer(repeating: 0xFF, count: 40)] {
            var (door, _) = Self.greeted()
            guard case .refuse = door.received(MySQLPacket(sequenceID: 1, payload: payload)) else {
                Issue.record("garbage was not refused")
                continue
            }
        }
        var (old, greeting) = Self.greeted()
        let proof = MySQLAuth.nativePassword(password: Self.password, nonce: greeting.authPluginData)
        let pre41 = Self.response(plugin: "mysql_native_password", proof: proof, capabilities: [.secureConnection])
        guard case .refuse = old.received(pre41) else {
            Issue.record("a pre-4.1 client was not refused")
            return
        }
    }
}
