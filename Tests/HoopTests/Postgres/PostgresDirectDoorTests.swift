import NIOCore
import PostgresWire
import Testing

@testable import Broker

/// The direct port's door without a socket: what it answers to each thing a client (or an attacker) may send
/// before it is admitted, split at every byte where that matters.
@Suite("PostgreSQL direct door")
struct PostgresDirectDoorTests {
    static let sslRequest: [UInt8] = [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F]
    static let gssEncRequest: [UInt8] = [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x30]

    static func startup(_ parameters: [(String, String)], version: UInt16 = 3) -> [UInt8] {
        var body: [UInt8] = [UInt8(version >> 8), UInt8(version & 0xFF), 0, 0]
        for (name, value) in parameters { body += Array(name.utf8) + [0] + Array(value.utf8) + [0] }
        body.append(0)
        return Self.length(body.count + 4) + body
    }

    static func password(_ text: String) -> [UInt8] {
        [UInt8(ascii: "p")] + Self.length(text.utf8.count + 5) + Array(text.utf8) + [0]
    }

    static func length(_ value: Int) -> [UInt8] {
        withUnsafeBytes(of: UInt32(value).bigEndian, Array.init)
    }

    /// Feeds `bytes` split at `split`, collecting every action.
    static func feed(_ door: inout PostgresDirectDoor, _ bytes: [UInt8], split: Int? = nil) -> [PostgresDirectDoor
        .Action]
    {
        var actions: [PostgresDirectDoor.Action] = []
        var buffer = ByteBuffer()
        let cut = split ?? bytes.count
        for part in [Array(bytes[..<cut]), Array(bytes[cut...])] where !part.isEmpty {
            buffer.writeBytes(part)
            while let action = door.read(&buffer) { actions.append(action) }
        }
        return actions
    }

    @Test("SSLRequest, TLS, startup, password: the login is read whole, split anywhere", arguments: [nil, 1, 5, 9, 20])
    func login(split: Int?) {
        var door = PostgresDirectDoor()
        #expect(Self.feed(&door, Self.sslRequest) == [.acceptTLS])
        #expect(door.tlsEstablished(applicationProtocol: nil) == nil)
        let startup = Self.startup([("user", "hoop_abc"), ("database", "testdb")])
        #expect(Self.feed(&door, startup, split: split) == [.send(.authentication(.cleartextPassword))])
        let actions = Self.feed(&door, Self.password("secret"), split: split.map { min($0, 6) })
        #expect(actions == [.admit(user: "hoop_abc", password: "secret", startup: ByteBuffer(bytes: startup))])
    }

    @Test("a plaintext startup is told to use TLS")
    func plaintextStartup() {
        var door = PostgresDirectDoor()
        guard case .refuse(let state, let message)? = Self.feed(&door, Self.startup([("user", "x")])).first else {
            Issue.record("not refused")
            return
        }
        #expect(state == .invalidAuthorization)
        #expect(message.contains("over TLS only"))
    }

    @Test("GSSAPI encryption is refused, before and inside TLS")
    func gssEncryption() {
        var door = PostgresDirectDoor()
        #expect(Self.feed(&door, Self.gssEncRequest).first.map(Self.isRefusal) == true)
    }

    @Test("bytes after SSLRequest, sent in the clear, are refused (CVE-2021-23214)")
    func injectedAfterSSLRequest() {
        var door = PostgresDirectDoor()
        let actions = Self.feed(&door, Self.sslRequest + Self.startup([("user", "x")]))
        #expect(actions.count == 1)
        #expect(actions.first.map(Self.isRefusal) == true)
    }

    @Test("data pipelined after the password is refused rather than passed to the engine")
    func pipelinedAfterPassword() {
        var door = PostgresDirectDoor()
        _ = Self.feed(&door, Self.sslRequest)
        _ = door.tlsEstablished(applicationProtocol: nil)
        _ = Self.feed(&door, Self.startup([("user", "hoop_abc")]))
        let query: [UInt8] = [UInt8(ascii: "Q")] + Self.length(13) + Array("select 1".utf8) + [0]
        let actions = Self.feed(&door, Self.password("secret") + query)
        #expect(actions.count == 1 && actions.first.map(Self.isRefusal) == true, "\(actions)")
    }

    @Test(
        "malformed and oversized packets get a protocol-violation FATAL",
        arguments: [
            Array("GET / HTTP/1.1\r\n\r\n".utf8),
            [0, 0, 0x4E, 0x20, 0, 3, 0, 0],
            [0, 0, 0, 4, 0, 3, 0, 0],
            [0xFF, 0xFF, 0xFF, 0xFF, 0, 3, 0, 0],
        ]
    )
    func malformed(bytes: [UInt8]) {
        var door = PostgresDirectDoor()
        guard case .refuse(let state, _)? = Self.feed(&door, bytes).first else {
            Issue.record("not refused")
            return
        }
        #expect(state == .protocolViolation)
    }

    @Test("a startup without a user, or of another protocol version, is refused over TLS")
    func badStartup() {
        for packet in [Self.startup([("database", "x")]), Self.startup([("user", "x")], version: 2)] {
            var door = PostgresDirectDoor()
            _ = Self.feed(&door, Self.sslRequest)
            _ = door.tlsEstablished(applicationProtocol: nil)
            #expect(Self.feed(&door, packet).first.map(Self.isRefusal) == true)
        }
    }

    @Test("a TLS ClientHello first is direct TLS, which must negotiate ALPN postgresql")
    func directTLS() {
        var door = PostgresDirectDoor()
        let hello: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0x10]
        #expect(Self.feed(&door, hello) == [.startDirectTLS(hello: ByteBuffer(bytes: hello))])
        #expect(door.tlsEstablished(applicationProtocol: "postgresql") == nil)
        var without = PostgresDirectDoor()
        _ = Self.feed(&without, [0x16, 0x03, 0x01])
        #expect(without.tlsEstablished(applicationProtocol: nil).map(Self.isRefusal) == true)
    }

    @Test("a CancelRequest is passed on with its key, in the clear or inside TLS")
    func cancel() {
        let request: [UInt8] = [0, 0, 0, 16, 0x04, 0xD2, 0x16, 0x2E, 0, 0, 0, 7, 1, 2, 3, 4]
        var door = PostgresDirectDoor()
        #expect(
            Self.feed(&door, request)
                == [
                    .cancel(
                        processID: 7, secretKey: ByteBuffer(bytes: [1, 2, 3, 4]), request: ByteBuffer(bytes: request))
                ])
    }

    @Test("the login timeout tells a waiting client, cuts a handshake, and spares an admission")
    func timeout() {
        var waiting = PostgresDirectDoor()
        #expect(waiting.timedOut(after: 2).map(Self.isRefusal) == true)
        var handshaking = PostgresDirectDoor()
        _ = Self.feed(&handshaking, Self.sslRequest)
        #expect(handshaking.timedOut(after: 2) == .close)
        var admitting = PostgresDirectDoor()
        _ = Self.feed(&admitting, Self.sslRequest)
        _ = admitting.tlsEstablished(applicationProtocol: nil)
        _ = Self.feed(&admitting, Self.startup([("user", "hoop_abc")]) + Self.password("secret"))
        #expect(admitting.timedOut(after: 2) == nil)
    }

    static func isRefusal(_ action: PostgresDirectDoor.Action) -> Bool {
        if case .refuse = action { return true }
        return false
    }
}
