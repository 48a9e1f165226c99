import AsyncHTTPClient
import Foundation
import Logging
import MCP
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization

/// An upstream MCP server on Streamable HTTP. Each message is a POST with the held bearer token (the agent's own
/// credentials never leave the broker); the answer is a JSON body or an event stream, whose messages join
/// `messages` in the order they arrive. The session id and protocol version the server sets are sent back on
/// every later request, as the transport requires.
final class MCPHTTPUpstream: MCPUpstream, Sendable {
    static let largestBody = 16 << 20

    private let url: URL
    private let bearer: String?
    private let client: HTTPClient
    private let logger: Logger
    private let state = Mutex(Negotiated())
    private let continuation: AsyncStream<Data>.Continuation
    let messages: AsyncStream<Data>

    private struct Negotiated {
        var sessionID: String?
        var protocolVersion: String?
        /// The requests in flight, for `close` to cancel; each removes itself when done.
        var requests: [UUID: Task<Void, Never>] = [:]
    }

    init(url: URL, bearer: String?, logger: Logger) {
        self.url = url
        self.bearer = bearer
        self.client = HTTPClient.shared
        self.logger = logger
        (messages, continuation) = AsyncStream.makeStream(of: Data.self)
    }

    func send(_ message: Data) async {
        let key = UUID()
        state.withLock { state in
            state.requests[key] = Task {
                await self.post(message)
                self.state.withLock { _ = $0.requests.removeValue(forKey: key) }
            }
        }
    }

    func close() async {
        let requests = state.withLock { $0.requests.values }
        for request in requests { request.cancel() }
        continuation.finish()
        guard state.withLock({ $0.sessionID }) != nil else { return }
        _ = try? await client.execute(request(.DELETE), timeout: .seconds(5))
    }

    /// A request to the endpoint with the held token and what the server negotiated (session id, protocol version).
    private func request(_ method: HTTPMethod) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        if let bearer { request.headers.add(name: "authorization", value: "Bearer \(bearer)") }
        let (sessionID, version) = state.withLock { ($0.sessionID, $0.protocolVersion) }
        if let sessionID { request.headers.add(name: HTTPHeaderName.sessionID, value: sessionID) }
        if let version { request.headers.add(name: HTTPHeaderName.protocolVersion, value: version) }
        return request
    }

    private func post(_ message: Data) async {
        var request = request(.POST)
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "accept", value: "application/json, text/event-stream")
        request.body = .bytes(ByteBuffer(data: message))
        do {
            let response = try await client.execute(request, timeout: .seconds(600))
            if let id = response.headers.first(name: HTTPHeaderName.sessionID) {
                state.withLock { $0.sessionID = id }
            }
            guard response.status.code < 400 else {
                failed(message, "the upstream answered HTTP \(response.status.code)")
                return
            }
            let type = response.headers.first(name: "content-type")?.lowercased() ?? ""
            if type.hasPrefix("text/event-stream") {
                var events = ServerSentEvents()
                for try await chunk in response.body {
                    for data in events.feed(chunk) { deliver(data) }
                }
            } else if type.hasPrefix("application/json") {
                deliver(Data(buffer: try await response.body.collect(upTo: Self.largestBody)))
            }
        } catch {
            failed(message, "the upstream cannot be reached: \(error)")
        }
    }

    /// Passes a message on, noting the protocol version an initialize result settles.
    private func deliver(_ data: Data) {
        // Only the initialize answer settles the version: later messages are not read here a second time.
        if state.withLock({ $0.protocolVersion == nil }), let message = try? MCPMessage(data),
            case .string(let text)? = message.result?["protocolVersion"]
        {
            state.withLock { $0.protocolVersion = text }
        }
        continuation.yield(data)
    }

    /// A request that got no answer gets an error in its place, so its caller is not left waiting.
    private func failed(_ message: Data, _ problem: String) {
        logger.warning("mcp upstream request failed", metadata: ["url": "\(url)", "problem": "\(problem)"])
        guard let sent = try? MCPMessage(message), case .request(let id, _) = sent.kind else { return }
        continuation.yield(MCPMessage.error(id: id, code: JSONRPCCode.internalError, problem))
    }
}

/// The `data:` lines of a `text/event-stream`, joined per event, as chunks arrive. Lines end in LF, CR LF or CR
/// alone; read as bytes, since a Swift `Character` would take CR LF as one.
struct ServerSentEvents {
    private var line: [UInt8] = []
    private var data: [[UInt8]] = []
    private var afterCR = false

    mutating func feed(_ chunk: ByteBuffer) -> [Data] {
        var events: [Data] = []
        for byte in chunk.readableBytesView {
            if afterCR {
                afterCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\r"):
                afterCR = true
                endLine(&events)
            case UInt8(ascii: "\n"):
                endLine(&events)
            default:
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine(_ events: inout [Data]) {
        defer { line = [] }
        guard !line.isEmpty else {
            if !data.isEmpty { events.append(Data(data.joined(separator: [UInt8(ascii: "\n")]))) }
            data = []
            return
        }
        let prefix = Array("data:".utf8)
        guard line.starts(with: prefix) else { return }
        var value = line.dropFirst(prefix.count)
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        data.append(Array(value))
    }
}
