package import Foundation
package import HoopCore

/// What `hoopctl connect` tells the user (or, as one JSON line, an agent) once the tunnel listens: which session,
/// and where to point the client.
package struct ConnectionDetails: Codable, Sendable, Equatable {
    package var session: String
    package var resource: String
    package var host: String
    package var port: Int
    package var expiresAt: Date
    /// The per-session login, for resources whose protocol has one.
    package var user: String?
    package var password: String?
    package var database: String?
    /// A connection URI with everything above, ready for drivers (`postgresql://...`).
    package var uri: String?
    /// For SSH: the OpenSSH options that make `ssh`, `scp` and `sftp` verify the broker's host key (pinned in a
    /// known_hosts file of the session) instead of skipping the check.
    package var sshOptions: [String]?
    /// For SSH: a ready-to-run `ssh` command line.
    package var command: String?
    /// For direct mode: the environment a client reads the connection from (`PGHOST`, `PGSSLMODE`, ...).
    package var environment: [String: String]?

    /// The parts every kind has; the resource's `ResourceClient` adds its own (`uri`, `sshOptions`, `command`).
    package init(
        session: String,
        resource: String,
        host: String,
        port: Int,
        expiresAt: Date,
        credentials: SessionCredentials?
    ) {
        self.session = session
        self.resource = resource
        self.host = host
        self.port = port
        self.expiresAt = expiresAt
        user = credentials?.user
        password = credentials?.password
        database = credentials?.database
    }

    enum CodingKeys: String, CodingKey {
        case session, resource, host, port, user, password, database, uri, command
        case environment = "env"
        case expiresAt = "expires_at"
        case sshOptions = "ssh_options"
    }
}
