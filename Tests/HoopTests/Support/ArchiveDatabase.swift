import Foundation
import Logging
import PostgresNIO

@testable import Broker

/// A fresh database on a throwaway PostgreSQL cluster holding the `recording_chunks` table, with a running client
/// and the archive over it: what the brokers of a deployment share.
struct ArchiveDatabase: Sendable {
    let client: PostgresClient
    let archive: PostgresRecordingArchive

    static func with<Result: Sendable>(_ body: (ArchiveDatabase) async throws -> Result) async throws -> Result {
        try await PostgresServer.with { pg in
            let name = "archive_\(UUID().uuidString.prefix(8).lowercased())"
            let created = try await PostgresServer.psql(port: pg.port, ["-c", "CREATE DATABASE \(name)"])
            guard created.status == 0 else { throw PeerError("cannot create database \(name): \(created.stderr)") }
            let client = PostgresClient(
                configuration: PostgresClient.Configuration(
                    host: "127.0.0.1", port: pg.port, username: "hoop_scram", password: PostgresServer.password,
                    database: name, tls: .disable))
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                for migration in [
                    PostgresRecordingArchive.migration, PostgresRecordingArchive.sessionIndexMigration,
                    PostgresRecordingArchive.tombstoneMigration,
                ] {
                    try await client.query(PostgresQuery(unsafeSQL: migration))
                }
                let database = ArchiveDatabase(client: client, archive: PostgresRecordingArchive(client: client))
                return try await body(database)
            }
        }
    }

    /// How many chunks the archive keeps for segment `name`.
    func chunkCount(_ name: String) async throws -> Int {
        let rows = try await client.query("SELECT count(*)::bigint FROM recording_chunks WHERE name = \(name)")
        var count: Int64 = 0
        for try await value in rows.decode(Int64.self) { count = value }
        return Int(count)
    }
}
