import Foundation
import NIOSSL
import PostgresNIO

/// How the store reaches its database: the pool's configuration and the one for the change listener's own
/// connection, both from the same `PostgresStoreConfig`, so the listener can never be laxer about TLS than the pool.
struct PostgresStoreEndpoint: Sendable {
    let config: PostgresStoreConfig
    let password: String?
    /// The client side of TLS; nil when `tls: disable`.
    let tls: TLSConfiguration?

    /// Shown to the server (`pg_stat_activity.application_name`), so operators can tell the broker's connections
    /// apart; the listener adds its role.
    static let applicationName = "hoop-broker"
    static let listenerApplicationName = "hoop-broker-listener"

    init(config: PostgresStoreConfig, password: String?) {
        self.config = config
        self.password = password
        switch config.tls {
        case .disable:
            tls = nil
        case .require:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            self.tls = tls
        case .verifyFull:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .fullVerification
            if let caFile = config.caFile { tls.trustRoots = .file(caFile.path) }
            self.tls = tls
        }
    }

    var client: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: config.host, port: config.port, username: config.user, password: password,
            database: config.database, tls: tls.map { .require($0) } ?? .disable)
        configuration.options.maximumConnections = config.maxConnections
        configuration.options.additionalStartupParameters = [("application_name", Self.applicationName)]
        return configuration
    }

    func listener() throws -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: config.host, port: config.port, username: config.user, password: password,
            database: config.database, tls: try tls.map { .require(try NIOSSLContext(configuration: $0)) } ?? .disable)
        configuration.options.additionalStartupParameters = [("application_name", Self.listenerApplicationName)]
        return configuration
    }
}
