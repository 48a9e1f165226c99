package import Foundation

/// The approver web page (`web:`). It exists only when configured, because its login redirects and its
/// cross-origin checks need the one address people's browsers reach the broker by: the page is the broker's own
/// origin, never a path below another site's.
package struct WebConfig: Sendable, Equatable {
    /// `https://host[:port]` as browsers see it (a load balancer's name, say); no path, query or fragment.
    package var publicURL: URL
    /// A web session nobody used for this long is gone (`session_idle`).
    package var sessionIdle: TimeInterval
    /// A web session ends this long after its login however busy it is (`session_lifetime`).
    package var sessionLifetime: TimeInterval

    package static let defaultSessionIdle: TimeInterval = 30 * 60
    package static let defaultSessionLifetime: TimeInterval = 8 * 3_600

    package init(
        publicURL: URL,
        sessionIdle: TimeInterval = WebConfig.defaultSessionIdle,
        sessionLifetime: TimeInterval = WebConfig.defaultSessionLifetime
    ) {
        self.publicURL = publicURL
        self.sessionIdle = sessionIdle
        self.sessionLifetime = sessionLifetime
    }

    /// `scheme://host[:port]`, the form an `Origin` header takes, for comparing one with the other.
    package var origin: String {
        let text = publicURL.absoluteString
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// An absolute address on the page for `path` (which starts with `/`).
    package func url(_ path: String) -> String { origin + path }
}
