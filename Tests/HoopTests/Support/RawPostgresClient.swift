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

    /// A client on the server's Unix socket (`DIR/.s.PGSQL.PORT`), where the test cluster trusts local logins.
    init(unixSocket path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw PeerError("socket path too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else { throw PeerError("cannot connect to \(path)") }
    }

    deinit { close(fd) }

    /// What the server said about one statement of a simple query.
    enum Outcome: Equatable {
        case command(String)
        case error(String?, String)
    }

    /// Sends `text` as one simple Query, byte for byte (so in any client encoding), and collects every statement's
    /// command tag or error up to ReadyForQuery.
    func simpleQuery(_ text: [UInt8]) throws -> [Outcome] {
        var message: [UInt8] = [UInt8(ascii: "Q")]
        withUnsafeBytes(of: Int32(4 + text.count + 1).bigEndian) { message.append(contentsOf: $0) }
        try sendRaw(message + text + [0])
        var outcomes: [Outcome] = []
        while let reply = try receive() {
            switch reply {
            case .commandComplete(let tag): outcomes.append(.command(tag))
            case .errorResponse(let diagnostic):
                outcomes.append(.error(diagnostic.sqlState?.rawValue, diagnostic.message ?? ""))
            case .readyForQuery: return outcomes
            default: break
            }
        }
        throw PeerError("closed during a query")
    }

    /// Sends a startup packet with `parameters` and reads to ReadyForQuery, answering a cleartext password request
    /// with `password`; returns the server's ParameterStatus reports, or throws with the error that ended the login.
    @discardableResult
    func start(_ parameters: [(String, String)], password: String? = nil) throws -> [String: String] {
        try send(
            .startup(
                .init(protocolVersion: .v3_0, parameters: parameters.map { .init(name: $0.0, value: $0.1) })))
        var reported: [String: String] = [:]
        while let message = try receive() {
            switch message {
            case .authentication(.cleartextPassword):
                guard let password else { throw PeerError("a password was asked for") }
                try send(try PostgresPasswordFamilyMessage.password(password).message())
            case .parameterStatus(let name, let value): reported[name] = value
            case .readyForQuery: return reported
            case .errorResponse(let diagnostic): throw PeerError("login refused: \(diagnostic.message ?? "")")
            default: break
            }
        }
        throw PeerError("closed during login")
    }

    func send(_ message: PostgresFrontendMessage) throws {
        var buffer = ByteBuffer()
        try PostgresFrontendEncoder().encode(data: message, out: &buffer)
        try sendRaw(Array(buffer.readableBytesView))
    }

    /// Sends `messages` in one write, as a driver that pipelines does.
    func send(batch messages: [PostgresFrontendMessage]) throws {
        var buffer = ByteBuffer()
        for message in messages { try PostgresFrontendEncoder().encode(data: message, out: &buffer) }
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

    /// Every message up to and including the first one `last` accepts (a CopyInResponse, the n-th ReadyForQuery).
    func receive(through last: (PostgresBackendMessage) -> Bool) throws -> [PostgresBackendMessage] {
        var messages: [PostgresBackendMessage] = []
        while let message = try receive() {
            messages.append(message)
            if last(message) { return messages }
        }
        throw PeerError("closed early; read \(messages)")
    }

    /// Every message up to and including the `count`-th ReadyForQuery: the answers to `count` Syncs or Queries.
    func receive(readyForQueries count: Int) throws -> [PostgresBackendMessage] {
        var seen = 0
        return try receive { message in
            if case .readyForQuery = message { seen += 1 }
            return seen == count
        }
    }

    /// Logs in with the session's credentials and reads up to ReadyForQuery.
    func login(password: String) throws {
        try start([("user", "hoop")], password: password)
    }
}
