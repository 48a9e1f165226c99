package import Foundation

/// Where the broker keeps its state (`store:`).
package enum StoreLocation: Sendable, Equatable {
    /// The embedded default: one SQLite file, `data_dir/broker.db`, for a single broker.
    case embedded
    /// A PostgreSQL database several brokers share.
    case postgres(PostgresStoreConfig)
}

/// A shared PostgreSQL store: where it is and how the broker logs in to it. The password is never in the URL or the
/// config, only referenced (`password_file` / `password_env`), so the config can be shown and versioned.
package struct PostgresStoreConfig: Sendable, Equatable {
    package var host: String
    package var port: Int
    package var user: String
    package var database: String
    /// Nil logs in without one (trust or certificate authentication on the server's side).
    package var password: SecretReference?
    package var tls: PostgresStoreTLS
    /// Roots to verify the server's certificate against; nil uses the system's.
    package var caFile: URL?
    /// Connections the broker's pool opens at most (the change listener holds one more).
    package var maxConnections: Int

    package static let defaultMaxConnections = 10
    package static let maxConnectionsRange = 1...200

    package init(
        host: String, port: Int = 5432, user: String, database: String, password: SecretReference? = nil,
        tls: PostgresStoreTLS = .verifyFull, caFile: URL? = nil, maxConnections: Int = defaultMaxConnections
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.password = password
        self.tls = tls
        self.caFile = caFile
        self.maxConnections = maxConnections
    }
}

/// How the connection to the store is protected, named as libpq's `sslmode` values it matches.
package enum PostgresStoreTLS: String, Sendable, Equatable, CaseIterable {
    /// TLS, with the certificate checked against the roots and the host name.
    case verifyFull = "verify-full"
    /// TLS, the certificate unchecked: encrypted against eavesdroppers, not against an impostor.
    case require
    /// Plain TCP: only for a database on the same host.
    case disable
}
