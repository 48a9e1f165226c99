package import Foundation
import PostgresNIO

/// The brokers sharing the database: their rows, the changes they announce to each other, and the signing turn.
extension PostgresStore {
    package func registerBroker(_ instance: BrokerInstance) async throws {
        try await client.query(
            """
            INSERT INTO brokers (id, name, version, listen, started_at, last_seen, stopped_at)
            VALUES (\(instance.id), \(instance.name), \(instance.version), \(instance.listen), \(instance.startedAt),
                \(instance.lastSeen), \(instance.stoppedAt))
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version,
                listen = excluded.listen, last_seen = excluded.last_seen, stopped_at = excluded.stopped_at
            """, logger: logger)
    }

    package func heartbeat(brokerID: String, at time: Date) async throws {
        try await client.query("UPDATE brokers SET last_seen = \(time) WHERE id = \(brokerID)", logger: logger)
    }

    package func brokerStopped(brokerID: String, at time: Date) async throws {
        try await client.query(
            "UPDATE brokers SET last_seen = \(time), stopped_at = \(time) WHERE id = \(brokerID)", logger: logger)
    }

    package func brokers(limit: Int) async throws -> [BrokerInstance] {
        try await rows("SELECT * FROM brokers ORDER BY started_at DESC LIMIT \(limit)") { row in
            BrokerInstance(
                id: try row["id"].decode(String.self), name: try row["name"].decode(String.self),
                version: try row["version"].decode(String.self), listen: try row["listen"].decode(String.self),
                startedAt: try row["started_at"].decode(Date.self), lastSeen: try row["last_seen"].decode(Date.self),
                stoppedAt: try row["stopped_at"].decode(Date?.self))
        }
    }

    package func addRejections(_ counts: [String: Int], window: Int64) async throws -> [String: Int] {
        try await transaction { connection in
            var totals: [String: Int] = [:]
            for (source, count) in counts {
                let rows = try await connection.query(
                    """
                    INSERT INTO rejection_counts (source, window_number, total) VALUES (\(source), \(window), \(Int64(count)))
                    ON CONFLICT (source, window_number) DO UPDATE SET total = rejection_counts.total + excluded.total
                    RETURNING total
                    """, logger: logger
                ).collect()
                totals[source] = try rows.first.map { Int(try $0.decode(Int64.self)) }
            }
            try await connection.query(
                "DELETE FROM rejection_counts WHERE window_number < \(window - RejectionWindows.kept)", logger: logger)
            return totals
        }
    }

    /// Fed by the store's LISTEN connection: this broker's changes come back through the database like everyone
    /// else's, so every broker sees one sequence of announcements.
    package func changes() -> AsyncStream<StoreChange> {
        broadcaster.stream()
    }

    /// The turn is a session-level advisory lock on one pooled connection, held while `body` runs and released
    /// after it, also when it throws. Should the connection die meanwhile, the server releases the lock with it and
    /// another broker may take the turn: a checkpoint is then signed twice at worst, never forked, since both sign
    /// the same append-only tree.
    package func withSigningTurn<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result?
    {
        try await client.withConnection { connection -> Result? in
            let key = PostgresAdvisoryLock.signingTurn.rawValue
            var taken = false
            for try await locked in try await connection.query(
                "SELECT pg_try_advisory_lock(\(key))", logger: logger
            ).decode(Bool.self) {
                taken = locked
            }
            guard taken else { return nil }
            let outcome: Swift.Result<Result, any Error>
            do {
                outcome = .success(try await body())
            } catch {
                outcome = .failure(error)
            }
            try await connection.query("SELECT pg_advisory_unlock(\(key))", logger: logger)
            return try outcome.get()
        }
    }
}
