package import Foundation
import GRDB
package import HoopCore

/// The embedded store: one SQLite file in WAL mode. GRDB's pool serializes writers, which is what keeps the audit
/// chain linear; readers never block the data path.
package final class SQLiteStore: Store {
    let pool: DatabasePool
    /// One broker per SQLite file: its changes are its own, announced after each commit.
    let broadcaster = StoreChangeBroadcaster()

    package init(path: URL) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        pool = try DatabasePool(path: path.path, configuration: configuration)
        try SQLiteMigrations.migrator.migrate(pool)
    }

    package func insertSession(_ session: SessionRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO sessions (id, resource, resource_type, issuer, subject, email, groups, reason, status,
                        created_at, expires_at, ended_at, connections, bytes_up, bytes_down, recording_digest, owner)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.id, session.resource, session.resourceType.rawValue, session.issuer, session.subject,
                    session.email, session.groups.joined(separator: "\n"), session.reason, session.status.rawValue,
                    session.createdAt, session.expiresAt, session.endedAt, session.connections, session.bytesUp,
                    session.bytesDown, session.recordingDigest, session.owner,
                ]
            )
        }
    }

    package func session(id: String) async throws -> SessionRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE id = ?", arguments: [id]).map(Self.session)
        }
    }

    package func sessions(issuer: String?, subject: String?, limit: Int) async throws -> [SessionRecord] {
        try await pool.read { db in
            if let issuer, let subject {
                return try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM sessions WHERE issuer = ? AND subject = ? ORDER BY created_at DESC LIMIT ?",
                    arguments: [issuer, subject, limit]
                ).map(Self.session)
            }
            return try Row.fetchAll(
                db,
                sql: "SELECT * FROM sessions ORDER BY created_at DESC LIMIT ?",
                arguments: [limit]
            ).map(Self.session)
        }
    }

    package func activeSessions() async throws -> [SessionRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sessions WHERE status = 'active'").map(Self.session)
        }
    }

    package func transferSession(id: String, from: String?, to: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE sessions SET owner = ? WHERE id = ? AND status = 'active' AND owner IS ?",
                arguments: [to, id, from])
            return db.changesCount == 1
        }
    }

    package func endSession(id: String, status: SessionStatus, at time: Date, recordingDigest: String?) async throws
        -> Bool
    {
        let ended = try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE sessions SET status = ?, ended_at = ?, recording_digest = ?
                    WHERE id = ? AND status = 'active'
                    """,
                arguments: [status.rawValue, time, recordingDigest, id]
            )
            return db.changesCount == 1
        }
        if ended { broadcaster.announce(.session(id)) }
        return ended
    }

    package func addTraffic(sessionID: String, connections: Int, bytesUp: Int, bytesDown: Int) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE sessions SET connections = connections + ?, bytes_up = bytes_up + ?,
                        bytes_down = bytes_down + ? WHERE id = ?
                    """,
                arguments: [connections, bytesUp, bytesDown, sessionID]
            )
        }
    }

    package func insertApproval(_ approval: ApprovalRecord) async throws -> ApprovalRecord {
        let decisions = try Self.encode(approval.decisions)
        return try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO approvals (kind, status, requester_issuer, requester_subject, requester_name,
                        resource, session, statement, statement_sha256, reason, rule, approver_groups,
                        min_approvals, decisions, created_at, expires_at, version)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    approval.kind.rawValue, approval.status.rawValue, approval.requesterIssuer,
                    approval.requesterSubject, approval.requesterName, approval.resource, approval.session,
                    approval.statement, approval.statementSHA256, approval.reason, approval.rule,
                    approval.approverGroups.joined(separator: "\n"), approval.minApprovals, decisions,
                    approval.createdAt, approval.expiresAt, approval.version,
                ]
            )
            var stored = approval
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    package func approval(id: Int64) async throws -> ApprovalRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM approvals WHERE id = ?", arguments: [id]).map(Self.approval)
        }
    }

    package func approvals(status: ApprovalStatus?, limit: Int) async throws -> [ApprovalRecord] {
        try await pool.read { db in
            if let status {
                return try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM approvals WHERE status = ? ORDER BY id DESC LIMIT ?",
                    arguments: [status.rawValue, limit]
                ).map(Self.approval)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM approvals ORDER BY id DESC LIMIT ?", arguments: [limit])
                .map(Self.approval)
        }
    }

    package func updateApproval(_ approval: ApprovalRecord) async throws -> ApprovalRecord? {
        let decisions = try Self.encode(approval.decisions)
        let stored = try await pool.write { db -> ApprovalRecord? in
            try db.execute(
                sql: """
                    UPDATE approvals SET status = ?, decisions = ?, version = version + 1
                    WHERE id = ? AND version = ?
                    """,
                arguments: [approval.status.rawValue, decisions, approval.id, approval.version]
            )
            guard db.changesCount == 1 else { return nil }
            var stored = approval
            stored.version += 1
            return stored
        }
        if stored != nil { broadcaster.announce(.approval(approval.id)) }
        return stored
    }

    private static func encode(_ decisions: [ApprovalDecisionRecord]) throws -> String {
        String(decoding: try HoopJSON.encoder().encode(decisions), as: UTF8.self)
    }

    private static func approval(_ row: Row) throws -> ApprovalRecord {
        let id: Int64 = row["id"]
        guard let kind = ApprovalKind(rawValue: row["kind"]), let status = ApprovalStatus(rawValue: row["status"])
        else {
            throw StoreError.corrupt(table: "approvals", detail: "unknown kind or status for \(id)")
        }
        let groups: String = row["approver_groups"]
        let decisionsText: String = row["decisions"]
        return ApprovalRecord(
            id: id,
            kind: kind,
            status: status,
            requesterIssuer: row["requester_issuer"],
            requesterSubject: row["requester_subject"],
            requesterName: row["requester_name"],
            resource: row["resource"],
            session: row["session"],
            statement: row["statement"],
            statementSHA256: row["statement_sha256"],
            reason: row["reason"],
            rule: row["rule"],
            approverGroups: groups.isEmpty ? [] : groups.split(separator: "\n").map(String.init),
            minApprovals: row["min_approvals"],
            decisions: try HoopJSON.decoder().decode([ApprovalDecisionRecord].self, from: Data(decisionsText.utf8)),
            createdAt: row["created_at"],
            expiresAt: row["expires_at"],
            version: row["version"]
        )
    }

    static func auditEvent(_ row: Row) throws -> AuditEvent {
        let detailsText: String = row["details"]
        let details = try JSONDecoder().decode(JSONValue.self, from: Data(detailsText.utf8))
        guard let decision = AuditDecision(rawValue: row["decision"]) else {
            throw StoreError.corrupt(table: "audit_events", detail: "unknown decision at seq \(row["seq"] as Int64)")
        }
        var event = AuditEvent(
            seq: row["seq"],
            time: row["time"],
            actor: row["actor"],
            action: row["action"],
            resource: row["resource"],
            session: row["session"],
            decision: decision,
            details: details
        )
        // Keep the stored hash rather than the recomputed one, so verification sees what is on disk.
        event.hash = row["hash"]
        return event
    }

    private static func session(_ row: Row) throws -> SessionRecord {
        guard let status = SessionStatus(rawValue: row["status"]) else {
            throw StoreError.corrupt(table: "sessions", detail: "unknown status for \(row["id"] as String)")
        }
        let groups: String = row["groups"]
        return SessionRecord(
            id: row["id"],
            resource: row["resource"],
            resourceType: ResourceType(rawValue: row["resource_type"]),
            issuer: row["issuer"],
            subject: row["subject"],
            email: row["email"],
            groups: groups.isEmpty ? [] : groups.split(separator: "\n").map(String.init),
            reason: row["reason"],
            status: status,
            createdAt: row["created_at"],
            expiresAt: row["expires_at"],
            endedAt: row["ended_at"],
            connections: row["connections"],
            bytesUp: row["bytes_up"],
            bytesDown: row["bytes_down"],
            recordingDigest: row["recording_digest"],
            owner: row["owner"]
        )
    }
}

/// A row the store cannot interpret: the database was edited outside the broker.
package enum StoreError: Error, CustomStringConvertible {
    case corrupt(table: String, detail: String)

    package var description: String {
        switch self {
        case .corrupt(let table, let detail): "store table \(table) holds an unreadable row: \(detail)"
        }
    }
}
