import Foundation
import NIOCore

@testable import Broker
@testable import PostgresWire

/// A PostgreSQL client that can send what no real driver would, for testing how the broker handles it. Blocking
/// sockets with timeouts: simple, and enough for a test.
final class RawPostgresClient {
    private let fd: Int32
    private var inbound = ByteBuffer()
    private var decoder = PostgresBackendDecoder()

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw PeerError("cannot connect to 127.0.0.1:\(port)") }
    }

    deinit { close(fd) }

    func send(_ message: PostgresFrontendMessage) throws {
        var buffer = ByteBuffer()
        try PostgresFrontendEncoder().encode(data: message, out: &buffer)
        try sendRaw(Array(buffer.readableBytesView))
    }

    func sendRaw(_ bytes: [UInt8]) throws {
        guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
            throw PeerError("short write")
        }
    }

    /// The next message, or nil when the broker closed the connection.
    func receive() throws -> PostgresBackendMessage? {
        while true {
            if let message = try decoder.decode(buffer: &inbound) { return message }
            var chunk = [UInt8](repeating: 0, count: 16_384)
            let count = read(fd, &chunk, chunk.count)
            if count <= 0 { return nil }
            inbound.writeBytes(chunk[0..<count])
        }
    }

    /// Every message up to and including the next ReadyForQuery.
    func receiveUntilReady() throws -> [PostgresBackendMessage] {
        var messages: [PostgresBackendMessage] = []
        while let message = try receive() {
            messages.append(message)
            if case .readyForQuery = message { return messages }
        }
        throw PeerError("closed before ReadyForQuery; read \(messages)")
    }

    /// Logs in with the session's credentials and reads up to ReadyForQuery.
    func login(password: String) throws {
        try send(.startup(.init(protocolVersion: .v3_0, parameters: [.init(name: "user", value: "hoop")])))
        guard case .authentication(.cleartextPassword)? = try receive() else { throw PeerError("no password request") }
        try send(try PostgresPasswordFamilyMessage.password(password).message())
        while let message = try receive() {
            if case .readyForQuery = message { return }
            if case .errorResponse(let diagnostic) = message { throw PeerError("login refused: \(diagnostic)") }
        }
        throw PeerError("closed during login")
    }
}
