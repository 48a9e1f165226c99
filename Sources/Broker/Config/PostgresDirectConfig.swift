package import Foundation

/// `postgres_direct:` — the broker's own PostgreSQL port for direct mode. PostgreSQL clients connect to it over TLS
/// (the broker's certificate, `sslmode=verify-full`) with a session's per-session login, instead of through
/// `hoopctl connect`'s loopback port and tunnel; only resources with `allow_direct: true` issue such logins. Off
/// unless configured.
package struct PostgresDirectConfig: Sendable, Equatable {
    /// Where the broker listens for direct PostgreSQL clients. The port is fixed (clients are told it with their
    /// session); the host names the interface.
    package var listen: HostPort
    /// How long a client has from connecting to presenting its password; a client that stalls is told so and closed,
    /// like PostgreSQL's own `authentication_timeout`.
    package var loginTimeout: TimeInterval

    package static let defaultLoginTimeout: TimeInterval = 10
}
