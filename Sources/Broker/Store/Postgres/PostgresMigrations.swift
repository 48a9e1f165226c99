import Logging
import PostgresNIO

/// Schema history of the shared store, in the embedded store's shape (same tables and columns; dates are
/// `timestamptz`, hashes `bytea`). Append new migrations; never edit a shipped one.
enum PostgresMigrations {
    struct Migration {
        var version: String
        /// One statement each: the extended query protocol runs a single statement per query.
        var statements: [String]
    }

    static let all: [Migration] = [
        Migration(
            version: "v1-shared-store",
            statements: [
                """
                CREATE TABLE audit_events (
                    seq bigint PRIMARY KEY,
                    time text NOT NULL,
                    actor text NOT NULL,
                    action text NOT NULL,
                    resource text,
                    session text,
                    decision text NOT NULL,
                    details text NOT NULL,
                    hash bytea NOT NULL UNIQUE
                )
                """,
                "CREATE INDEX audit_events_session ON audit_events (session)",
                """
                CREATE TABLE audit_tree_nodes (
                    level bigint NOT NULL,
                    idx bigint NOT NULL,
                    hash bytea NOT NULL,
                    PRIMARY KEY (level, idx)
                )
                """,
                """
                CREATE TABLE tree_checkpoints (
                    size bigint PRIMARY KEY,
                    note text NOT NULL,
                    signed_at text NOT NULL,
                    cosignatures bigint NOT NULL DEFAULT 0
                )
                """,
                """
                CREATE TABLE witness_cosignatures (
                    witness text NOT NULL,
                    size bigint NOT NULL,
                    PRIMARY KEY (witness, size)
                )
                """,
                "CREATE TABLE log_meta (key text PRIMARY KEY, value text NOT NULL)",
                """
                CREATE TABLE sessions (
                    id text PRIMARY KEY,
                    resource text NOT NULL,
                    resource_type text NOT NULL,
                    issuer text NOT NULL,
                    subject text NOT NULL,
                    email text,
                    groups text NOT NULL,
                    reason text,
                    status text NOT NULL,
                    created_at timestamptz NOT NULL,
                    expires_at timestamptz NOT NULL,
                    ended_at timestamptz,
                    connections bigint NOT NULL DEFAULT 0,
                    bytes_up bigint NOT NULL DEFAULT 0,
                    bytes_down bigint NOT NULL DEFAULT 0,
                    recording_digest text,
                    owner text
                )
                """,
                "CREATE INDEX sessions_owner ON sessions (issuer, subject, created_at)",
                "CREATE INDEX sessions_status ON sessions (status)",
                """
                CREATE TABLE approvals (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    kind text NOT NULL,
                    status text NOT NULL,
                    requester_issuer text NOT NULL,
                    requester_subject text NOT NULL,
                    requester_name text NOT NULL,
                    resource text NOT NULL,
                    session text,
                    statement text,
                    statement_sha256 text,
                    reason text,
                    rule text NOT NULL,
                    approver_groups text NOT NULL,
                    min_approvals bigint NOT NULL,
                    decisions text NOT NULL,
                    created_at timestamptz NOT NULL,
                    expires_at timestamptz NOT NULL,
                    version bigint NOT NULL
                )
                """,
                "CREATE INDEX approvals_status ON approvals (status, created_at)",
                """
                CREATE TABLE mcp_tool_pins (
                    resource text NOT NULL,
                    tool text NOT NULL,
                    fingerprint text NOT NULL,
                    definition text NOT NULL,
                    pinned_at timestamptz NOT NULL,
                    pinned_by text NOT NULL,
                    PRIMARY KEY (resource, tool)
                )
                """,
                """
                CREATE TABLE brokers (
                    id text PRIMARY KEY,
                    name text NOT NULL,
                    version text NOT NULL,
                    listen text NOT NULL,
                    started_at timestamptz NOT NULL,
                    last_seen timestamptz NOT NULL,
                    stopped_at timestamptz
                )
                """,
            ]),
        Migration(
            version: "v2-recording-archive",
            statements: [PostgresRecordingArchive.migration, PostgresRecordingArchive.sessionIndexMigration]),
        Migration(
            version: "v3-rejection-counts",
            statements: [
                """
                CREATE TABLE rejection_counts (
                    source text NOT NULL,
                    window_number bigint NOT NULL,
                    total bigint NOT NULL,
                    PRIMARY KEY (source, window_number)
                )
                """
            ]),
        Migration(version: "v4-recording-tombstones", statements: [PostgresRecordingArchive.tombstoneMigration]),
    ]

    /// Applies every migration the database lacks, in one transaction under the migration lock: of several brokers
    /// starting together, the first applies them and the others wait, then find nothing left to do. A failed
    /// migration rolls back whole, so no broker ever sees half a schema.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                "SELECT pg_advisory_xact_lock(\(PostgresAdvisoryLock.migrations.rawValue))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """,
                logger: logger)
            var applied: Set<String> = []
            for try await version in try await connection.query(
                "SELECT version FROM schema_migrations", logger: logger
            ).decode(String.self) {
                applied.insert(version)
            }
            for migration in all where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version) VALUES (\(migration.version))", logger: logger)
                logger.info("store migrated", metadata: ["version": "\(migration.version)"])
            }
        }
    }
}
