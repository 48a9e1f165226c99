import AsyncHTTPClient
import Foundation
import HoopCore

/// What the broker fetches to learn an issuer's keys, and how. Whoever can answer these fetches can mint tokens the
/// broker accepts, so they go over https only (plain http to loopback is the one exception, for an issuer on the
/// same host), and redirects are never followed: a redirect to http, or to another host, would hand that power to
/// whoever answers there.
enum IdentityFetchPolicy {
    /// The client for discovery and JWKS: it follows no redirect.
    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(redirectConfiguration: .disallow)
    )

    /// Why `url` may not be fetched for keys, or nil when it may.
    static func problem(with url: String) -> String? {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host,
            !host.isEmpty
        else {
            return "not an absolute URL"
        }
        switch scheme {
        case "https":
            return nil
        case "http" where LoopbackHost.isLoopback(host):
            return nil
        case "http":
            return "plain http is fetched from loopback issuers only; \(host) must be served over https"
        default:
            return "\(scheme) is not fetched; keys come over https"
        }
    }
}
