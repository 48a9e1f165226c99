import Crypto
import Foundation
import HTTPTypes
import HoopCore
import Hummingbird
import Prometheus

/// `/metrics` for scrapers that prove they may read it: with the configured scrape token, or on the metrics
/// listener of its own. Anyone else gets a refusal that says what to configure, never the numbers.
struct MetricsRoute: Sendable {
    let registry: PrometheusCollectorRegistry
    /// SHA-256 of the scrape token, or nil when none is configured (then a token cannot open the route).
    let tokenDigest: [UInt8]?
    /// Whether this router is the dedicated metrics listener, where no token is asked for unless one is set.
    let dedicatedListener: Bool

    /// Reads the scrape token now: an unreadable token stops the broker at start, not at the first scrape.
    init(registry: PrometheusCollectorRegistry, config: MetricsConfig, dedicatedListener: Bool) throws {
        self.registry = registry
        self.dedicatedListener = dedicatedListener
        tokenDigest = try config.token.map { Self.digest(try $0.resolve()) }
    }

    func register(on router: Router<BrokerRequestContext>) {
        router.get(RouterPath(APIPath.metrics)) { request, _ in
            try authorize(request)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }

    private func authorize(_ request: Request) throws {
        guard let tokenDigest else {
            guard dedicatedListener else {
                throw APIError(
                    BrokerError(
                        .forbidden, code: "metrics_off",
                        message: "metrics are not served on this port",
                        hint: "set metrics.token_env (scrapers send it as a bearer token) or metrics.listen"))
            }
            return
        }
        let presented = request.headers[.authorization].flatMap(Authenticator.bearerToken(in:))
        // Digests of equal length compared in full: the comparison says nothing about the token's bytes.
        guard let presented, Self.digest(presented) == tokenDigest else {
            throw APIError(
                BrokerError(
                    .unauthenticated, code: "metrics_token", message: "/metrics needs the scrape token",
                    hint: "send Authorization: Bearer <metrics token>"))
        }
    }

    private static func digest(_ text: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(text.utf8)))
    }
}
