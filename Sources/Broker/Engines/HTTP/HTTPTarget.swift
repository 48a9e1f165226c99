import Foundation
import NIOSSL

/// How the broker reaches an `http` resource's target and what it allows through.
struct HTTPTarget: ResourceTarget {
    var flavor: HTTPFlavor
    /// `scheme://host:port`, what absolute `Location` headers from the target start with.
    var origin: String
    /// The target's host and port, for connections the broker opens itself (upgrades).
    var host: String
    var port: Int
    /// A path prefix every request is forwarded under (`/api` of `https://host/api`), without a trailing `/`.
    var basePath: String
    var credential: HTTPCredential?
    /// TLS toward an `https` target: its trust roots (or no verification) and the client certificate if any.
    var tls: TLSConfiguration?
    /// The target matches paths case-insensitively, so path templates must too.
    var caseInsensitivePaths: Bool
    /// The largest request body the broker reads (it reads bodies whole to judge them, and an approval binds to
    /// the exact body).
    var maxRequestBody: Int
    /// How much of each request and response body the recording keeps.
    var recordBytes: Int

    /// The `Host` header for the target: its host, and its port unless it is the scheme's default.
    var hostHeader: String {
        let standard = origin.hasPrefix("https:") ? 443 : 80
        let name = host.contains(":") ? "[\(host)]" : host
        return port == standard ? name : "\(name):\(port)"
    }

    /// Where a request for `target` goes.
    func url(for target: HTTPRequestTarget) -> String { origin + basePath + target.forwarded }
}
