import GRDB

/// Schema history of the embedded store. Append new migrations; never edit a shipped one.
enum SQLiteMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-audit-and-sessions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit_events (
                        seq INTEGER PRIMARY KEY,
                        time TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        resource TEXT,
                        session TEXT,
                        decision TEXT NOT NULL,
                        details TEXT NOT NULL,
                        prev TEXT NOT NULL,
                        hash TEXT NOT NULL UNIQUE
                    );
                    CREATE INDEX audit_events_session ON audit_events(session);
                    CREATE TABLE sessions (
                        id TEXT PRIMARY KEY,
                        resource TEXT NOT NULL,
                        resource_type TEXT NOT NULL,
                        issuer TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        email TEXT,
                        groups TEXT NOT NULL,
                        reason TEXT,
                        status TEXT NOT NULL,
                        created_at DATETIME NOT NULL,
                        expires_at DATETIME NOT NULL,
                        ended_at DATETIME,
                        connections INTEGER NOT NULL DEFAULT 0,
                        bytes_up INTEGER NOT NULL DEFAULT 0,
                        bytes_down INTEGER NOT NULL DEFAULT 0,
                        recording_digest TEXT
                    );
                    CREATE INDEX sessions_owner ON sessions(issuer, subject, created_at);
                    CREATE INDEX sessions_status ON sessions(status);
                    """
            )
        }
        migrator.registerMigration("v2-approvals") { db in
            try db.execute(
                sql: """
                    CREATE TABLE approvals (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL,
                        status TEXT NOT NULL,
                        requester_issuer TEXT NOT NULL,
                        requester_subject TEXT NOT NULL,
                        requester_name TEXT NOT NULL,
                        resource TEXT NOT NULL,
                        session TEXT,
                        statement TEXT,
                        statement_sha256 TEXT,
                        reason TEXT,
                        rule TEXT NOT NULL,
                        approver_groups TEXT NOT NULL,
                        min_approvals INTEGER NOT NULL,
                        decisions TEXT NOT NULL,
                        created_at DATETIME NOT NULL,
                        expires_at DATETIME NOT NULL,
                        version INTEGER NOT NULL
                    );
                    CREATE INDEX approvals_status ON approvals(status, created_at);
                    """
            )
        }
        migrator.registerMigration("v3-checkpoints") { db in
            try db.execute(
                sql: """
                    CREATE TABLE checkpoints (
                        seq INTEGER PRIMARY KEY,
                        line TEXT NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v4-transparency-log") { db in
            try SQLiteTransparencyMigration.migrate(db)
        }
        migrator.registerMigration("v5-mcp-tool-pins") { db in
            try db.execute(
                sql: """
                    CREATE TABLE mcp_tool_pins (
                        resource TEXT NOT NULL,
                        tool TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        definition TEXT NOT NULL,
                        pinned_at DATETIME NOT NULL,
                        pinned_by TEXT NOT NULL,
                        PRIMARY KEY (resource, tool)
                    );
                    """
            )
        }
        migrator.registerMigration("v6-broker-instances") { db in
            try db.execute(
                sql: """
                    ALTER TABLE sessions ADD COLUMN owner TEXT;
                    CREATE TABLE brokers (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        version TEXT NOT NULL,
                        listen TEXT NOT NULL,
                        started_at DATETIME NOT NULL,
                        last_seen DATETIME NOT NULL,
                        stopped_at DATETIME
                    );
                    """
            )
        }
        migrator.registerMigration("v7-rejection-counts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE rejection_counts (
                        source TEXT NOT NULL,
                        window_number INTEGER NOT NULL,
                        total INTEGER NOT NULL,
                        PRIMARY KEY (source, window_number)
                    ) WITHOUT ROWID;
                    """
            )
        }
        return migrator
    }
}
