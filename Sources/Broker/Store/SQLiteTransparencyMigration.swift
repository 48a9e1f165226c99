import Foundation
import GRDB
import HoopCore

/// Turns the hash-chained audit table into the transparency log's leaves: every stored event gets its leaf hash
/// (recomputed from its content), the tree's complete subtrees are built, and `prev` is dropped. The chain's old
/// JSON checkpoints are kept, renamed, for the record; they sign chain hashes the new format no longer has, so the
/// broker signs a fresh checkpoint at its next start.
enum SQLiteTransparencyMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE audit_tree_nodes (
                    level INTEGER NOT NULL,
                    idx INTEGER NOT NULL,
                    hash BLOB NOT NULL,
                    PRIMARY KEY (level, idx)
                ) WITHOUT ROWID;
                CREATE TABLE tree_checkpoints (
                    size INTEGER PRIMARY KEY,
                    note TEXT NOT NULL,
                    signed_at TEXT NOT NULL,
                    cosignatures INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE witness_cosignatures (
                    witness TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    PRIMARY KEY (witness, size)
                ) WITHOUT ROWID;
                CREATE TABLE log_meta (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                );
                ALTER TABLE checkpoints RENAME TO chain_checkpoints_v1;
                """
        )
        let tree = SQLiteAuditTree(db: db)
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit_events ORDER BY seq")
        var leaves: [(Int64, String)] = []
        while let row = try rows.next() {
            let event = try SQLiteStore.auditEvent(row)
            leaves.append((event.seq, event.leafHash.hex))
        }
        for (seq, hash) in leaves {
            try db.execute(sql: "UPDATE audit_events SET hash = ? WHERE seq = ?", arguments: [hash, seq])
            try tree.completeSubtrees(endingAt: seq - 1)
        }
        try db.execute(sql: "ALTER TABLE audit_events DROP COLUMN prev")
    }
}
