package import Foundation
package import Logging

/// The one place a store is opened from the configuration, so the broker and every operator command reach the same
/// state: the embedded SQLite file under the data directory, or the PostgreSQL database `store:` names.
package enum StoreFactory {
    /// The embedded store's file.
    package static func embeddedPath(dataDir: URL) -> URL {
        dataDir.appendingPathComponent("broker.db")
    }

    /// Opens (and migrates) the configured store. The caller `close()`s it when done.
    package static func open(_ config: BrokerConfig, logger: Logger) async throws -> any Store {
        switch config.store {
        case .embedded:
            return try SQLiteStore(path: embeddedPath(dataDir: config.dataDir))
        case .postgres(let postgres):
            let password: String?
            do {
                password = try postgres.password?.resolve()
            } catch {
                throw ConfigError(path: "store", message: "the store's password: \(error.description)")
            }
            return try await PostgresStore(config: postgres, password: password, logger: logger)
        }
    }
}
