package import Foundation
package import HoopCore
import PostgresNIO

/// The audit log in PostgreSQL, laid out as `AuditTreeLayout` says. Appends from every broker are serialized by the
/// append lock, held for the transaction: the next `seq` is read, and the event and the nodes it completes are
/// written, with no other writer in between, so the log stays one gapless chain and one tree.
extension PostgresStore {
    package func appendAudit(_ draft: AuditDraft, at time: Date) async throws -> AuditEvent {
        try await transaction { connection in
            try await connection.query(
                "SELECT pg_advisory_xact_lock(\(PostgresAdvisoryLock.auditAppend.rawValue))", logger: logger)
            let size = try await Self.size(on: connection, logger: logger)
            let event = AuditEvent(
                seq: size + 1, time: Timestamp.format(time), actor: draft.actor, action: draft.action.rawValue,
                resource: draft.resource, session: draft.session, decision: draft.decision, details: draft.details)
            let leaf = event.leafHash
            try await connection.query(
                """
                INSERT INTO audit_events (seq, time, actor, action, resource, session, decision, details, hash)
                VALUES (\(event.seq), \(event.time), \(event.actor), \(event.action), \(event.resource),
                    \(event.session), \(event.decision.rawValue), \(CanonicalJSON.string(event.details)),
                    \(Data(leaf.bytes)))
                """, logger: logger)
            let nodes = PostgresAuditNodes()
            nodes.learn(NodeID(level: 0, index: size), leaf)
            let completed = try await nodes.resolve(on: connection, logger: logger) { nodes in
                try AuditTreeLayout.subtreesCompleted(byLeaf: size, in: nodes)
            }
            for (id, hash) in completed {
                try await connection.query(
                    """
                    INSERT INTO audit_tree_nodes (level, idx, hash)
                    VALUES (\(Int64(id.level)), \(id.index), \(Data(hash.bytes)))
                    """, logger: logger)
            }
            return event
        }
    }

    package func auditEvents(from: Int64, limit: Int) async throws -> [AuditEvent] {
        try await rows(
            """
            SELECT seq, time, actor, action, resource, session, decision, details, hash FROM audit_events
            WHERE seq >= \(from) ORDER BY seq LIMIT \(Int64(limit))
            """, Self.auditEvent)
    }

    package func treeHead() async throws -> TreeHead {
        try await withAuditTree { tree, size in TreeHead(size: size, root: try tree.rootHash(size: size)) }
    }

    /// Reads the log's size, then runs `body` over the tree of that size (see `PostgresAuditNodes` for why the
    /// nodes may be fetched in later queries).
    package func withAuditTree<Result: Sendable>(
        _ body: @escaping @Sendable (any MerkleNodeSource, Int64) throws -> Result
    ) async throws -> Result {
        try await client.withConnection { connection in
            let size = try await Self.size(on: connection, logger: logger)
            return try await PostgresAuditNodes().resolve(on: connection, logger: logger) { nodes in
                try body(StoredAuditTree(nodes: nodes), size)
            }
        }
    }

    package func appendCheckpoint(_ checkpoint: StoredCheckpoint) async throws {
        try await client.query(
            """
            INSERT INTO tree_checkpoints (size, note, signed_at, cosignatures)
            VALUES (\(checkpoint.checkpoint.size), \(checkpoint.note.serialized), \(checkpoint.signedAt), 0)
            """, logger: logger)
    }

    package func checkpoints(fromSize: Int64) async throws -> [StoredCheckpoint] {
        try await rows(
            "SELECT note, signed_at FROM tree_checkpoints WHERE size >= \(fromSize) ORDER BY size", Self.checkpoint)
    }

    package func lastCheckpoint() async throws -> StoredCheckpoint? {
        try await rows("SELECT note, signed_at FROM tree_checkpoints ORDER BY size DESC LIMIT 1", Self.checkpoint)
            .first
    }

    package func lastCosignedCheckpoint() async throws -> StoredCheckpoint? {
        try await rows(
            "SELECT note, signed_at FROM tree_checkpoints WHERE cosignatures > 0 ORDER BY size DESC LIMIT 1",
            Self.checkpoint
        ).first
    }

    /// Locks the checkpoint's row, so cosignatures two brokers add at once are both kept.
    package func addCosignatures(_ lines: [NoteSignature], size: Int64) async throws {
        try await transaction { connection in
            let rows = try await connection.query(
                "SELECT note, signed_at FROM tree_checkpoints WHERE size = \(size) FOR UPDATE", logger: logger
            ).collect()
            guard let row = rows.first else {
                throw StoreError.corrupt(table: "tree_checkpoints", detail: "no checkpoint of size \(size)")
            }
            var stored = try Self.checkpoint(row.makeRandomAccess())
            for line in lines where !stored.note.signatures.contains(where: { $0.name == line.name }) {
                stored.note.signatures.append(line)
                try await connection.query(
                    """
                    INSERT INTO witness_cosignatures (witness, size) VALUES (\(line.name), \(size))
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
            try await connection.query(
                """
                UPDATE tree_checkpoints SET note = \(stored.note.serialized),
                    cosignatures = \(Int64(stored.note.signatures.count - 1)) WHERE size = \(size)
                """, logger: logger)
        }
    }

    package func witnessedSizes() async throws -> [String: Int64] {
        let pairs = try await rows("SELECT witness, MAX(size) AS size FROM witness_cosignatures GROUP BY witness") {
            row in (try row["witness"].decode(String.self), try row["size"].decode(Int64.self))
        }
        return Dictionary(pairs, uniquingKeysWith: max)
    }

    /// The first broker to ask names the log; the others read its name.
    package func logOrigin(proposed: String) async throws -> String {
        try await client.query(
            "INSERT INTO log_meta (key, value) VALUES ('origin', \(proposed)) ON CONFLICT (key) DO NOTHING",
            logger: logger)
        guard
            let origin = try await rows(
                "SELECT value FROM log_meta WHERE key = 'origin'",
                {
                    try $0["value"].decode(String.self)
                }
            ).first
        else {
            throw StoreError.corrupt(table: "log_meta", detail: "the origin vanished after it was stored")
        }
        return origin
    }

    static func size(on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        for try await size in try await connection.query(
            "SELECT COALESCE(MAX(seq), 0) FROM audit_events", logger: logger
        ).decode(Int64.self) {
            return size
        }
        return 0
    }

    private static func checkpoint(_ row: PostgresRandomAccessRow) throws -> StoredCheckpoint {
        let note = try SignedNote(parsing: try row["note"].decode(String.self))
        return StoredCheckpoint(
            checkpoint: try TreeCheckpoint(body: note.text), note: note,
            signedAt: try row["signed_at"].decode(String.self))
    }

    private static func auditEvent(_ row: PostgresRandomAccessRow) throws -> AuditEvent {
        let seq = try row["seq"].decode(Int64.self)
        let details = try JSONDecoder().decode(JSONValue.self, from: Data(try row["details"].decode(String.self).utf8))
        guard let decision = AuditDecision(rawValue: try row["decision"].decode(String.self)) else {
            throw StoreError.corrupt(table: "audit_events", detail: "unknown decision at seq \(seq)")
        }
        guard let hash = TreeHash(bytes: try row["hash"].decode(Data.self)) else {
            throw StoreError.corrupt(table: "audit_events", detail: "the hash at seq \(seq) is not 32 bytes")
        }
        var event = AuditEvent(
            seq: seq,
            time: try row["time"].decode(String.self),
            actor: try row["actor"].decode(String.self),
            action: try row["action"].decode(String.self),
            resource: try row["resource"].decode(String?.self),
            session: try row["session"].decode(String?.self),
            decision: decision,
            details: details
        )
        // Keep the stored hash rather than the recomputed one, so verification sees what is in the database.
        event.hash = hash.hex
        return event
    }
}
