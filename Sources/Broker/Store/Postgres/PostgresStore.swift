package import Foundation
package import HoopCore
package import Logging
import PostgresNIO

/// The shared store: one PostgreSQL database several brokers use at once. Every write that must be ordered across
/// brokers runs in a transaction under an advisory lock (`PostgresAdvisoryLock`) or as a compare-and-set, and every
/// change another broker waits for is announced with `pg_notify` in the transaction that makes it, so it is seen
/// only once committed. The store owns its pool's `run()` task and its change listener; `close()` stops both.
package final class PostgresStore: Store {
    let client: PostgresClient
    let logger: Logger
    let broadcaster = StoreChangeBroadcaster()
    private let listener: PostgresChangeListener
    private let pool: Task<Void, Never>

    /// Connects, applies missing migrations and starts listening for changes. `password` is the resolved secret
    /// the config references.
    package init(config: PostgresStoreConfig, password: String?, logger: Logger) async throws {
        let endpoint = PostgresStoreEndpoint(config: config, password: password)
        try await Self.probe(endpoint, logger: logger)
        let client = PostgresClient(configuration: endpoint.client, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        // Started at once, so the pool runs before the migration asks it for a connection.
        pool = Task.immediate { await client.run() }
        listener = PostgresChangeListener(endpoint: endpoint, broadcaster: broadcaster, logger: logger)
        do {
            try await PostgresMigrations.migrate(client, logger: logger)
        } catch {
            pool.cancel()
            await pool.value
            throw error
        }
        await listener.start()
    }

    /// Connects once, directly: the pool retries a failing connection without end, so a broker that cannot reach
    /// its store (refused, TLS, password) would wait silently instead of stopping with the reason.
    private static func probe(_ endpoint: PostgresStoreEndpoint, logger: Logger) async throws {
        do {
            let connection = try await PostgresConnection.connect(
                configuration: try endpoint.listener(), id: 0, logger: logger)
            try? await connection.close()
        } catch {
            throw PostgresStoreUnreachable(config: endpoint.config, error: error)
        }
    }

    package func close() async {
        await listener.stop()
        broadcaster.finish()
        pool.cancel()
        await pool.value
    }

    package func insertSession(_ session: SessionRecord) async throws {
        let groups = session.groups.joined(separator: "\n")
        try await client.query(
            """
            INSERT INTO sessions (id, resource, resource_type, issuer, subject, email, groups, reason, status,
                created_at, expires_at, ended_at, connections, bytes_up, bytes_down, recording_digest, owner)
            VALUES (\(session.id), \(session.resource), \(session.resourceType.rawValue), \(session.issuer),
                \(session.subject), \(session.email), \(groups), \(session.reason), \(session.status.rawValue),
                \(session.createdAt), \(session.expiresAt), \(session.endedAt), \(session.connections),
                \(session.bytesUp), \(session.bytesDown), \(session.recordingDigest), \(session.owner))
            """, logger: logger)
    }

    package func session(id: String) async throws -> SessionRecord? {
        try await rows("SELECT * FROM sessions WHERE id = \(id)", Self.session).first
    }

    package func sessions(issuer: String?, subject: String?, limit: Int) async throws -> [SessionRecord] {
        if let issuer, let subject {
            return try await rows(
                """
                SELECT * FROM sessions WHERE issuer = \(issuer) AND subject = \(subject)
                ORDER BY created_at DESC LIMIT \(limit)
                """, Self.session)
        }
        return try await rows("SELECT * FROM sessions ORDER BY created_at DESC LIMIT \(limit)", Self.session)
    }

    package func activeSessions() async throws -> [SessionRecord] {
        try await rows("SELECT * FROM sessions WHERE status = 'active'", Self.session)
    }

    package func transferSession(id: String, from: String?, to: String) async throws -> Bool {
        try await client.query(
            """
            UPDATE sessions SET owner = \(to)
            WHERE id = \(id) AND status = 'active' AND owner IS NOT DISTINCT FROM \(from) RETURNING id
            """, logger: logger
        ).collect().count == 1
    }

    package func endSession(id: String, status: SessionStatus, at time: Date, recordingDigest: String?) async throws
        -> Bool
    {
        try await transaction { connection in
            let ended =
                try await connection.query(
                    """
                    UPDATE sessions SET status = \(status.rawValue), ended_at = \(time), recording_digest = \(recordingDigest)
                    WHERE id = \(id) AND status = 'active' RETURNING id
                    """, logger: logger
                ).collect().count == 1
            if ended { try await Self.announce(.session(id), on: connection, logger: logger) }
            return ended
        }
    }

    package func addTraffic(sessionID: String, connections: Int, bytesUp: Int, bytesDown: Int) async throws {
        try await client.query(
            """
            UPDATE sessions SET connections = connections + \(connections), bytes_up = bytes_up + \(bytesUp),
                bytes_down = bytes_down + \(bytesDown) WHERE id = \(sessionID)
            """, logger: logger)
    }

    package func insertApproval(_ approval: ApprovalRecord) async throws -> ApprovalRecord {
        let decisions = try Self.encode(approval.decisions)
        let groups = approval.approverGroups.joined(separator: "\n")
        let ids = try await rows(
            """
            INSERT INTO approvals (kind, status, requester_issuer, requester_subject, requester_name, resource, session,
                statement, statement_sha256, reason, rule, approver_groups, min_approvals, decisions, created_at,
                expires_at, version)
            VALUES (\(approval.kind.rawValue), \(approval.status.rawValue), \(approval.requesterIssuer),
                \(approval.requesterSubject), \(approval.requesterName), \(approval.resource), \(approval.session),
                \(approval.statement), \(approval.statementSHA256), \(approval.reason), \(approval.rule), \(groups),
                \(approval.minApprovals), \(decisions), \(approval.createdAt), \(approval.expiresAt),
                \(approval.version))
            RETURNING id
            """
        ) { try $0["id"].decode(Int64.self) }
        guard let id = ids.first else {
            throw StoreError.corrupt(table: "approvals", detail: "the insert returned no id")
        }
        var stored = approval
        stored.id = id
        return stored
    }

    package func approval(id: Int64) async throws -> ApprovalRecord? {
        try await rows("SELECT * FROM approvals WHERE id = \(id)", Self.approval).first
    }

    package func approvals(status: ApprovalStatus?, limit: Int) async throws -> [ApprovalRecord] {
        if let status {
            return try await rows(
                "SELECT * FROM approvals WHERE status = \(status.rawValue) ORDER BY id DESC LIMIT \(limit)",
                Self.approval)
        }
        return try await rows("SELECT * FROM approvals ORDER BY id DESC LIMIT \(limit)", Self.approval)
    }

    package func updateApproval(_ approval: ApprovalRecord) async throws -> ApprovalRecord? {
        let decisions = try Self.encode(approval.decisions)
        return try await transaction { connection -> ApprovalRecord? in
            let updated =
                try await connection.query(
                    """
                    UPDATE approvals SET status = \(approval.status.rawValue), decisions = \(decisions),
                        version = version + 1
                    WHERE id = \(approval.id) AND version = \(approval.version) RETURNING id
                    """, logger: logger
                ).collect().count == 1
            guard updated else { return nil }
            try await Self.announce(.approval(approval.id), on: connection, logger: logger)
            var stored = approval
            stored.version += 1
            return stored
        }
    }

    /// Sends the change to every broker's listener; inside a transaction, PostgreSQL delivers it at commit (and
    /// drops it on rollback), so no broker hears of a change it cannot read yet.
    static func announce(_ change: StoreChange, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "SELECT pg_notify(\(PostgresChangeListener.channel), \(change.notification))", logger: logger)
    }

    /// Runs `body` in a transaction on a pooled connection: committed when it returns, rolled back when it throws,
    /// and then its own error is rethrown (not the pool's wrapper), so callers see the same errors as from SQLite.
    func transaction<Result>(_ body: (PostgresConnection) async throws -> sending Result) async throws -> sending Result
    {
        do {
            return try await client.withTransaction(logger: logger, body)
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }

    /// Runs `query` on a pooled connection and reads every row with `read`.
    func rows<Row>(_ query: PostgresQuery, _ read: (PostgresRandomAccessRow) throws -> Row) async throws -> [Row] {
        try await client.query(query, logger: logger).collect().map { try read($0.makeRandomAccess()) }
    }

    private static func encode(_ decisions: [ApprovalDecisionRecord]) throws -> String {
        String(decoding: try HoopJSON.encoder().encode(decisions), as: UTF8.self)
    }

    private static func lines(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: "\n").map(String.init)
    }

    private static func approval(_ row: PostgresRandomAccessRow) throws -> ApprovalRecord {
        let id = try row["id"].decode(Int64.self)
        guard let kind = ApprovalKind(rawValue: try row["kind"].decode(String.self)),
            let status = ApprovalStatus(rawValue: try row["status"].decode(String.self))
        else {
            throw StoreError.corrupt(table: "approvals", detail: "unknown kind or status for \(id)")
        }
        let decisions = try row["decisions"].decode(String.self)
        return ApprovalRecord(
            id: id,
            kind: kind,
            status: status,
            requesterIssuer: try row["requester_issuer"].decode(String.self),
            requesterSubject: try row["requester_subject"].decode(String.self),
            requesterName: try row["requester_name"].decode(String.self),
            resource: try row["resource"].decode(String.self),
            session: try row["session"].decode(String?.self),
            statement: try row["statement"].decode(String?.self),
            statementSHA256: try row["statement_sha256"].decode(String?.self),
            reason: try row["reason"].decode(String?.self),
            rule: try row["rule"].decode(String.self),
            approverGroups: lines(try row["approver_groups"].decode(String.self)),
            minApprovals: try row["min_approvals"].decode(Int.self),
            decisions: try HoopJSON.decoder().decode([ApprovalDecisionRecord].self, from: Data(decisions.utf8)),
            createdAt: try row["created_at"].decode(Date.self),
            expiresAt: try row["expires_at"].decode(Date.self),
            version: try row["version"].decode(Int64.self)
        )
    }

    private static func session(_ row: PostgresRandomAccessRow) throws -> SessionRecord {
        let id = try row["id"].decode(String.self)
        guard let status = SessionStatus(rawValue: try row["status"].decode(String.self)) else {
            throw StoreError.corrupt(table: "sessions", detail: "unknown status for \(id)")
        }
        return SessionRecord(
            id: id,
            resource: try row["resource"].decode(String.self),
            resourceType: ResourceType(rawValue: try row["resource_type"].decode(String.self)),
            issuer: try row["issuer"].decode(String.self),
            subject: try row["subject"].decode(String.self),
            email: try row["email"].decode(String?.self),
            groups: lines(try row["groups"].decode(String.self)),
            reason: try row["reason"].decode(String?.self),
            status: status,
            createdAt: try row["created_at"].decode(Date.self),
            expiresAt: try row["expires_at"].decode(Date.self),
            endedAt: try row["ended_at"].decode(Date?.self),
            connections: try row["connections"].decode(Int.self),
            bytesUp: try row["bytes_up"].decode(Int.self),
            bytesDown: try row["bytes_down"].decode(Int.self),
            recordingDigest: try row["recording_digest"].decode(String?.self),
            owner: try row["owner"].decode(String?.self)
        )
    }
}

/// The shared store could not be reached or logged in to when the broker started.
package struct PostgresStoreUnreachable: Error, CustomStringConvertible {
    package var description: String

    init(config: PostgresStoreConfig, error: any Error) {
        // PostgresNIO's own description hides the server's message; the full form names the cause (no query runs
        // before login, so it holds no bound values).
        description =
            "cannot open the store postgres://\(config.user)@\(config.host):\(config.port)/\(config.database) "
            + "(tls \(config.tls.rawValue)): \(String(reflecting: error))"
    }
}
