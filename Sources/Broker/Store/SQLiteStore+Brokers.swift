package import Foundation
import GRDB

/// The embedded store keeps the same broker rows as a shared one, so `hoopctl broker status` reads alike on both;
/// only one broker at a time runs on a SQLite file.
extension SQLiteStore {
    package func registerBroker(_ instance: BrokerInstance) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO brokers (id, name, version, listen, started_at, last_seen, stopped_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version,
                        listen = excluded.listen, last_seen = excluded.last_seen, stopped_at = excluded.stopped_at
                    """,
                arguments: [
                    instance.id, instance.name, instance.version, instance.listen, instance.startedAt,
                    instance.lastSeen, instance.stoppedAt,
                ])
        }
    }

    package func heartbeat(brokerID: String, at time: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE brokers SET last_seen = ? WHERE id = ?", arguments: [time, brokerID])
        }
    }

    package func brokerStopped(brokerID: String, at time: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE brokers SET last_seen = ?, stopped_at = ? WHERE id = ?",
                arguments: [time, time, brokerID])
        }
    }

    package func brokers(limit: Int) async throws -> [BrokerInstance] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM brokers ORDER BY started_at DESC LIMIT ?", arguments: [limit])
                .map { row in
                    BrokerInstance(
                        id: row["id"], name: row["name"], version: row["version"], listen: row["listen"],
                        startedAt: row["started_at"], lastSeen: row["last_seen"], stoppedAt: row["stopped_at"])
                }
        }
    }

    package func addRejections(_ counts: [String: Int], window: Int64) async throws -> [String: Int] {
        try await pool.write { db in
            var totals: [String: Int] = [:]
            for (source, count) in counts {
                try db.execute(
                    sql: """
                        INSERT INTO rejection_counts (source, window_number, total) VALUES (?, ?, ?)
                        ON CONFLICT (source, window_number) DO UPDATE SET total = total + excluded.total
                        """,
                    arguments: [source, window, count])
                totals[source] = try Int.fetchOne(
                    db, sql: "SELECT total FROM rejection_counts WHERE source = ? AND window_number = ?",
                    arguments: [source, window])
            }
            try db.execute(
                sql: "DELETE FROM rejection_counts WHERE window_number < ?", arguments: [window - RejectionWindows.kept]
            )
            return totals
        }
    }

    package func changes() -> AsyncStream<StoreChange> {
        broadcaster.stream()
    }

    /// One broker per file: the turn is always this broker's (its checkpointer is an actor, so it never signs twice
    /// at once).
    package func withSigningTurn<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result?
    {
        try await body()
    }

    /// GRDB closes the file when the last reference goes; only the change streams need ending.
    package func close() async {
        broadcaster.finish()
    }
}
