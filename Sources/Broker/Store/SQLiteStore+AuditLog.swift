package import Foundation
import GRDB
package import HoopCore

/// The audit log in SQLite, laid out as `AuditTreeLayout` says: the nodes an event completes are written in the same
/// transaction as the event. An append therefore costs one insert plus, every 16 events, one node; any root or
/// proof is O(log n) lookups.
extension SQLiteStore {
    package func appendAudit(_ draft: AuditDraft, at time: Date) async throws -> AuditEvent {
        try await pool.write { db in
            let seq = (try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM audit_events") ?? 0) + 1
            let event = AuditEvent(
                seq: seq, time: Timestamp.format(time), actor: draft.actor, action: draft.action.rawValue,
                resource: draft.resource, session: draft.session, decision: draft.decision, details: draft.details)
            try db.execute(
                sql: """
                    INSERT INTO audit_events (seq, time, actor, action, resource, session, decision, details, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    event.seq, event.time, event.actor, event.action, event.resource, event.session,
                    event.decision.rawValue, CanonicalJSON.string(event.details), event.hash,
                ]
            )
            try SQLiteAuditTree(db: db).completeSubtrees(endingAt: seq - 1)
            return event
        }
    }

    package func auditEvents(from: Int64, limit: Int) async throws -> [AuditEvent] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?",
                arguments: [from, limit]
            ).map(Self.auditEvent)
        }
    }

    package func treeHead() async throws -> TreeHead {
        try await withAuditTree { tree, size in TreeHead(size: size, root: try tree.rootHash(size: size)) }
    }

    package func withAuditTree<Result: Sendable>(
        _ body: @escaping @Sendable (any MerkleNodeSource, Int64) throws -> Result
    ) async throws -> Result {
        try await pool.read { db in
            let size = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM audit_events") ?? 0
            return try body(StoredAuditTree(nodes: SQLiteAuditTree(db: db)), size)
        }
    }

    package func appendCheckpoint(_ checkpoint: StoredCheckpoint) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO tree_checkpoints (size, note, signed_at, cosignatures) VALUES (?, ?, ?, 0)",
                arguments: [checkpoint.checkpoint.size, checkpoint.note.serialized, checkpoint.signedAt]
            )
        }
    }

    package func checkpoints(fromSize: Int64) async throws -> [StoredCheckpoint] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT note, signed_at FROM tree_checkpoints WHERE size >= ? ORDER BY size",
                arguments: [fromSize]
            ).map(Self.checkpoint)
        }
    }

    package func lastCheckpoint() async throws -> StoredCheckpoint? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT note, signed_at FROM tree_checkpoints ORDER BY size DESC LIMIT 1")
                .map(Self.checkpoint)
        }
    }

    package func lastCosignedCheckpoint() async throws -> StoredCheckpoint? {
        try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT note, signed_at FROM tree_checkpoints WHERE cosignatures > 0 ORDER BY size DESC LIMIT 1"
            ).map(Self.checkpoint)
        }
    }

    package func addCosignatures(_ lines: [NoteSignature], size: Int64) async throws {
        try await pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT note, signed_at FROM tree_checkpoints WHERE size = ?", arguments: [size])
            else { throw StoreError.corrupt(table: "tree_checkpoints", detail: "no checkpoint of size \(size)") }
            var stored = try Self.checkpoint(row)
            for line in lines where !stored.note.signatures.contains(where: { $0.name == line.name }) {
                stored.note.signatures.append(line)
                try db.execute(
                    sql: "INSERT OR REPLACE INTO witness_cosignatures (witness, size) VALUES (?, ?)",
                    arguments: [line.name, size])
            }
            try db.execute(
                sql: "UPDATE tree_checkpoints SET note = ?, cosignatures = ? WHERE size = ?",
                arguments: [stored.note.serialized, stored.note.signatures.count - 1, size])
        }
    }

    package func witnessedSizes() async throws -> [String: Int64] {
        try await pool.read { db in
            var sizes: [String: Int64] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT witness, MAX(size) AS size FROM witness_cosignatures GROUP BY witness")
            {
                sizes[row["witness"]] = row["size"]
            }
            return sizes
        }
    }

    package func logOrigin(proposed: String) async throws -> String {
        try await pool.write { db in
            if let stored = try String.fetchOne(db, sql: "SELECT value FROM log_meta WHERE key = 'origin'") {
                return stored
            }
            try db.execute(sql: "INSERT INTO log_meta (key, value) VALUES ('origin', ?)", arguments: [proposed])
            return proposed
        }
    }

    private static func checkpoint(_ row: Row) throws -> StoredCheckpoint {
        let text: String = row["note"]
        let note = try SignedNote(parsing: text)
        return StoredCheckpoint(checkpoint: try TreeCheckpoint(body: note.text), note: note, signedAt: row["signed_at"])
    }
}

/// The stored levels of the tree (`AuditTreeLayout`) inside one SQLite transaction.
struct SQLiteAuditTree: StoredAuditNodes {
    let db: Database

    func storedNode(level: Int, index: Int64) throws -> TreeHash {
        if level == 0 {
            guard
                let hash = try String.fetchOne(
                    db, sql: "SELECT hash FROM audit_events WHERE seq = ?", arguments: [index + 1]
                ).flatMap({ TreeHash(hex: $0) })
            else { throw MerkleNodeMissing(level: level, index: index) }
            return hash
        }
        guard
            let hash = try Data.fetchOne(
                db, sql: "SELECT hash FROM audit_tree_nodes WHERE level = ? AND idx = ?",
                arguments: [level, index]
            ).flatMap({ TreeHash(bytes: $0) })
        else { throw MerkleNodeMissing(level: level, index: index) }
        return hash
    }

    /// Stores the stored-level subtrees that leaf `index` completes (its hash is already in `audit_events`).
    func completeSubtrees(endingAt index: Int64) throws {
        for (id, hash) in try AuditTreeLayout.subtreesCompleted(byLeaf: index, in: self) {
            try db.execute(
                sql: "INSERT INTO audit_tree_nodes (level, idx, hash) VALUES (?, ?, ?)",
                arguments: [id.level, id.index, Data(hash.bytes)])
        }
    }
}
