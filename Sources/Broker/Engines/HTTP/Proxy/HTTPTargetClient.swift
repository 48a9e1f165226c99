import AsyncHTTPClient
import NIOCore

/// The HTTP client every `http` resource's requests go out on: one connection pool per target and TLS
/// configuration, HTTP/2 where the target offers it by ALPN. A reverse proxy passes redirects and compressed
/// bodies back as they are, so it follows none and decodes nothing; a target silent for five minutes mid-response
/// is given up on.
enum HTTPTargetClient {
    static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: .seconds(10), read: .minutes(5)),
            decompression: .disabled)
        configuration.httpVersion = .automatic
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
