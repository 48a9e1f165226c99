import GRDB

/// Schema history of the witness store. Append new migrations; never edit a shipped one.
enum WitnessStoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-cosigned-and-refused") { db in
            try db.execute(
                sql: """
                    CREATE TABLE cosigned (
                        origin TEXT PRIMARY KEY,
                        size INTEGER NOT NULL,
                        root BLOB NOT NULL,
                        note TEXT NOT NULL,
                        cosigned_at DATETIME NOT NULL
                    );
                    CREATE TABLE refused_submissions (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        origin TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        checkpoint_sha256 BLOB NOT NULL,
                        note TEXT NOT NULL,
                        old_size INTEGER NOT NULL,
                        cosigned_size INTEGER NOT NULL,
                        first_refused_at DATETIME NOT NULL,
                        last_refused_at DATETIME NOT NULL,
                        occurrences INTEGER NOT NULL,
                        UNIQUE (origin, reason, checkpoint_sha256)
                    );
                    """
            )
        }
        return migrator
    }
}
