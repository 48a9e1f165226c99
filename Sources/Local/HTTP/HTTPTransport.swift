import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The one HTTP client the library uses, for the broker API and the identity provider alike. It lives for the whole
/// process (like `HTTPClient.shared`), but unlike the shared client it fails at once when a connection cannot be
/// made: a CLI must report an unreachable broker or a changed certificate now, not after retrying for a while.
enum HTTPTransport {
    static let requestTimeout: TimeAmount = .seconds(30)
    /// API answers are small JSON documents; anything larger is not the broker or identity provider talking.
    static let maximumBodyBytes = 1 << 20
    /// Recordings and evidence bundles carry what sessions relayed (an scp of a few megabytes is a recording of
    /// several); they are read whole, so the bound is what a CLI can sensibly hold in memory.
    static let maximumEvidenceBytes = 1 << 30

    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(30))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }()

    /// Sends `request` and collects the whole answer. Errors are thrown as they come, for the caller to explain
    /// against what it was talking to.
    static func send(_ request: HTTPClientRequest, maximumBytes: Int = maximumBodyBytes) async throws -> HTTPReply {
        let response = try await Self.client.execute(request, timeout: Self.requestTimeout)
        let body = try await response.body.collect(upTo: maximumBytes)
        return HTTPReply(status: response.status, body: Data(body.readableBytesView))
    }

    /// Sends `request` and hands a successful answer's body to `consume` piece by piece as it arrives, so a large
    /// answer (an evidence bundle) is never held whole; the reply returned then has an empty body. Any other answer
    /// is collected whole, within `maximumBodyBytes`, for the caller to explain.
    static func stream(_ request: HTTPClientRequest, consume: (ByteBuffer) async throws -> Void) async throws
        -> HTTPReply
    {
        let response = try await Self.client.execute(request, timeout: Self.requestTimeout)
        guard (200..<300).contains(response.status.code) else {
            let body = try await response.body.collect(upTo: maximumBodyBytes)
            return HTTPReply(status: response.status, body: Data(body.readableBytesView))
        }
        for try await piece in response.body { try await consume(piece) }
        return HTTPReply(status: response.status, body: Data())
    }
}

/// A complete HTTP answer.
struct HTTPReply: Sendable {
    var status: HTTPResponseStatus
    var body: Data

    var isSuccess: Bool { (200..<300).contains(self.status.code) }
}
