package import Logging
import NIOCore
package import PostgresNIO

/// The archive shared by the brokers of a deployment, in their PostgreSQL store: each segment is a run of chunks
/// (`recording_chunks`), one per accepted append, keyed by segment name and starting offset, so a read orders them
/// and checks that each starts where the one before ended.
///
/// Appends to one segment are serialized by a transaction-scoped advisory lock on its name: the archived length is
/// read, the overlap compared and the new part inserted as one step, so two brokers (a survivor sealing a segment
/// while its dead owner's last shipment lands) cannot both extend it from the same end.
package final class PostgresRecordingArchive: RecordingArchive {
    /// The table, for the store's migration list.
    package static let migration = """
        CREATE TABLE IF NOT EXISTS recording_chunks (
            name text NOT NULL,
            session text NOT NULL,
            start_offset bigint NOT NULL CHECK (start_offset >= 0),
            bytes bytea NOT NULL CHECK (length(bytes) > 0),
            PRIMARY KEY (name, start_offset)
        )
        """

    /// The index `segments(of:)` reads by, for the store's migration list after `migration`.
    package static let sessionIndexMigration = """
        CREATE INDEX IF NOT EXISTS recording_chunks_session ON recording_chunks (session, name)
        """

    /// The tombstones of pruned segments, for the store's migration list.
    package static let tombstoneMigration = """
        CREATE TABLE IF NOT EXISTS recording_tombstones (
            name text PRIMARY KEY,
            session text NOT NULL,
            body bytea NOT NULL
        )
        """

    /// A long first shipment (after an outage of the archive, say) is stored in chunks of at most this many bytes,
    /// so no single row or bind grows with the session.
    static let chunkLimit = 1 << 20

    /// The first key of the advisory locks this archive takes (the second is the segment name's hash), so they
    /// cannot collide with the store's own.
    private static let lockClass: Int32 = 0x6872_6563

    private let client: PostgresClient
    private let logger: Logger

    /// `client` must be running (`PostgresClient.run()`), as for the store that shares it.
    package init(client: PostgresClient, logger: Logger = Logger(label: "hoop.recording-archive")) {
        self.client = client
        self.logger = logger
    }

    @discardableResult
    package func append(_ bytes: [UInt8], to name: String, session: String, at offset: Int64) async throws -> Int64 {
        try RecordingSegmentName.check(name, session: session)
        let logger = logger
        return try await storage(name) {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(\(Self.lockClass), hashtext(\(name)))", logger: logger)
                let archived = try await Self.archivedLength(name, on: connection, logger: logger)
                let plan = try await RecordingAppendPlan(bytes, name: name, offset: offset, archived: archived) {
                    try await Self.bytes(of: name, in: $0, on: connection, logger: logger)
                }
                var start = plan.start
                var rest = plan.fresh
                while !rest.isEmpty {
                    let chunk = rest.prefix(Self.chunkLimit)
                    rest = rest.dropFirst(chunk.count)
                    try await connection.query(
                        """
                        INSERT INTO recording_chunks (name, session, start_offset, bytes)
                        VALUES (\(name), \(session), \(start), \(ByteBuffer(bytes: chunk)))
                        """, logger: logger)
                    start += Int64(chunk.count)
                }
                return start
            }
        }
    }

    package func read(_ name: String, from offset: Int64, limit: Int) async throws -> [UInt8]? {
        try RecordingSegmentName.requireSafe(name)
        let logger = logger
        return try await storage(name) {
            try await client.withConnection { connection in
                guard
                    let (base, held) = try await Self.chunks(
                        of: name, from: offset, before: offset + Int64(limit), on: connection, logger: logger)
                else {
                    // Chunks are never empty, so a segment with none is absent; one that has chunks but none here has
                    // a hole where the page starts.
                    guard try await Self.segmentExists(name, on: connection, logger: logger) else { return nil }
                    throw RecordingArchiveError.broken(name, offset: offset, reason: "leave a gap")
                }
                let end = base + Int64(held.count)
                guard base <= offset else {
                    throw RecordingArchiveError.broken(name, offset: offset, reason: "leave a gap")
                }
                guard offset <= end else {
                    throw RecordingArchiveError.readPastEnd(name, archived: end, offset: offset)
                }
                let lower = Int(offset - base)
                return Array(held[lower..<min(held.count, lower + limit)])
            }
        }
    }

    package func segments(of session: String) async throws -> [String] {
        let logger = logger
        return try await storage(session) {
            let rows = try await client.query(
                "SELECT DISTINCT name FROM recording_chunks WHERE session = \(session) ORDER BY name", logger: logger)
            var names: [String] = []
            for try await name in rows.decode(String.self) { names.append(name) }
            return names
        }
    }

    package func truncate(_ name: String, to length: Int64) async throws {
        try RecordingSegmentName.requireSafe(name)
        let logger = logger
        try await storage(name) {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(\(Self.lockClass), hashtext(\(name)))", logger: logger)
                let archived = try await Self.archivedLength(name, on: connection, logger: logger)
                guard length >= 0, length <= archived else {
                    throw RecordingArchiveError.cutPastEnd(name, archived: archived, length: length)
                }
                try await connection.query(
                    "DELETE FROM recording_chunks WHERE name = \(name) AND start_offset >= \(length)", logger: logger)
                try await connection.query(
                    """
                    UPDATE recording_chunks SET bytes = substring(bytes FROM 1 FOR (\(length) - start_offset)::integer)
                    WHERE name = \(name) AND start_offset < \(length) AND start_offset + length(bytes) > \(length)
                    """, logger: logger)
            }
        }
    }

    package func remove(_ name: String) async throws {
        try RecordingSegmentName.requireSafe(name)
        let logger = logger
        try await storage(name) {
            _ = try await client.query("DELETE FROM recording_chunks WHERE name = \(name)", logger: logger)
        }
    }

    package func keepTombstone(_ json: [UInt8], of name: String) async throws {
        let session = RecordingSegmentName.session(of: name)
        try RecordingSegmentName.check(name, session: session)
        let logger = logger
        try await storage(name) {
            _ = try await client.query(
                """
                INSERT INTO recording_tombstones (name, session, body) VALUES (\(name), \(session), \(ByteBuffer(bytes: json)))
                ON CONFLICT (name) DO NOTHING
                """, logger: logger)
        }
    }

    package func tombstone(of name: String) async throws -> [UInt8]? {
        try RecordingSegmentName.requireSafe(name)
        let logger = logger
        return try await storage(name) {
            let rows = try await client.query(
                "SELECT body FROM recording_tombstones WHERE name = \(name)", logger: logger)
            for try await body in rows.decode(ByteBuffer.self) { return Array(body.readableBytesView) }
            return nil
        }
    }

    // MARK: Helpers

    /// Whether any chunk of the segment is archived (chunks are never empty, so a segment without any is absent).
    private static func segmentExists(_ name: String, on connection: PostgresConnection, logger: Logger)
        async throws -> Bool
    {
        let rows = try await connection.query(
            "SELECT 1 FROM recording_chunks WHERE name = \(name) LIMIT 1", logger: logger)
        for try await _ in rows.decode(Int.self) { return true }
        return false
    }

    /// Where the segment's chunks end (they are checked to join up when read).
    private static func archivedLength(_ name: String, on connection: PostgresConnection, logger: Logger)
        async throws -> Int64
    {
        let rows = try await connection.query(
            """
            SELECT coalesce(max(start_offset + length(bytes)), 0)::bigint FROM recording_chunks WHERE name = \(name)
            """, logger: logger)
        var archived: Int64 = 0
        for try await length in rows.decode(Int64.self) { archived = length }
        return archived
    }

    /// The archived bytes of `range`, which must all be there.
    private static func bytes(
        of name: String, in range: Range<Int64>, on connection: PostgresConnection, logger: Logger
    ) async throws -> [UInt8] {
        let found = try await chunks(
            of: name, from: range.lowerBound, before: range.upperBound, on: connection, logger: logger)
        let first = found?.base ?? range.lowerBound
        let held = found?.bytes ?? []
        guard first <= range.lowerBound, first + Int64(held.count) >= range.upperBound else {
            throw RecordingArchiveError.broken(
                name, offset: first <= range.lowerBound ? first + Int64(held.count) : range.lowerBound,
                reason: "leave a gap")
        }
        let lower = Int(range.lowerBound - first)
        return Array(held[lower..<(lower + range.count)])
    }

    /// The chunks from the one holding `offset` (the last starting at or before it, found backwards on the primary
    /// key) to the last starting before `end`, checked to join up: where the first starts, and their bytes. Nil when
    /// there are none.
    private static func chunks(
        of name: String, from offset: Int64, before end: Int64, on connection: PostgresConnection, logger: Logger
    ) async throws -> (base: Int64, bytes: [UInt8])? {
        let rows = try await connection.query(
            """
            SELECT start_offset, bytes FROM recording_chunks
            WHERE name = \(name) AND start_offset < \(end)
                AND start_offset >= coalesce(
                    (SELECT max(start_offset) FROM recording_chunks WHERE name = \(name) AND start_offset <= \(offset)),
                    0)
            ORDER BY start_offset
            """, logger: logger)
        var held: [UInt8] = []
        var base: Int64?
        for try await (start, chunk) in rows.decode((Int64, ByteBuffer).self) {
            try join(chunk, at: start, base: base ?? start, to: &held, name: name)
            base = base ?? start
        }
        return base.map { ($0, held) }
    }

    /// Appends a chunk that must start exactly where `bytes`, which begin at offset `base`, end.
    private static func join(
        _ chunk: ByteBuffer, at start: Int64, base: Int64 = 0, to bytes: inout [UInt8], name: String
    ) throws(RecordingArchiveError) {
        let end = base + Int64(bytes.count)
        guard start == end else {
            throw RecordingArchiveError.broken(
                name, offset: end, reason: start > end ? "leave a gap" : "overlap (one starts at \(start))")
        }
        bytes.append(contentsOf: chunk.readableBytesView)
    }

    /// Runs a storage step, keeping the archive's own refusals (also from inside a transaction, which rolled it
    /// back) and naming the segment in any other failure.
    private func storage<Result: Sendable>(_ name: String, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as RecordingArchiveError {
            throw error
        } catch let error as PostgresTransactionError where error.closureError is RecordingArchiveError {
            throw error.closureError!
        } catch {
            throw RecordingArchiveError.unavailable(name, "the archive failed: \(String(reflecting: error))")
        }
    }
}
