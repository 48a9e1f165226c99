import Crypto
package import Foundation
import GRDB
import HoopCore

/// The witness's memory in one SQLite file: per log the newest checkpoint it cosigned, and every signed checkpoint it
/// refused. Judging a submission against the cosigned state and recording the outcome happen in one write
/// transaction; otherwise two submissions could both pass against the same state and the smaller could be written
/// last, rolling the log back (the race tlog-witness describes).
package final class WitnessStore: Sendable {
    private let pool: DatabasePool

    package init(path: URL) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        pool = try DatabasePool(path: path.path, configuration: configuration)
        try WitnessStoreMigrations.migrator.migrate(pool)
    }

    /// The newest cosigned checkpoint of `origin`, or the empty tree.
    package func cosigned(origin: String) async throws -> CosignedState {
        try await pool.read { db in try Self.cosigned(db, origin: origin) }
    }

    /// Judges `submission` with `WitnessRules` and records the outcome (the new state, or the refusal) in the same
    /// transaction. The state is on disk when this returns, before any cosignature is made.
    package func settle(_ submission: VerifiedSubmission, at time: Date) async throws -> Settlement {
        try await pool.write { db in
            let origin = submission.checkpoint.origin
            let previous = try Self.cosigned(db, origin: origin)
            let refusal = WitnessRules.judge(submission, against: previous)
            if let refusal {
                try Self.recordRefusal(db, refusal, submission, previous: previous, at: time)
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO cosigned (origin, size, root, note, cosigned_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root = excluded.root,
                            note = excluded.note, cosigned_at = excluded.cosigned_at
                        """,
                    arguments: [
                        origin, submission.checkpoint.size, Data(submission.checkpoint.root.bytes),
                        submission.log.note.serialized, time,
                    ]
                )
            }
            return Settlement(refusal: refusal, previous: previous)
        }
    }

    /// Every refused submission of `origin`, oldest first.
    package func refusals(origin: String) async throws -> [RefusedSubmission] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM refused_submissions WHERE origin = ? ORDER BY id", arguments: [origin]
            ).map(Self.refusedSubmission)
        }
    }

    private static func cosigned(_ db: Database, origin: String) throws -> CosignedState {
        guard
            let row = try Row.fetchOne(db, sql: "SELECT size, root FROM cosigned WHERE origin = ?", arguments: [origin])
        else { return .empty }
        let root: Data = row["root"]
        guard let hash = TreeHash(bytes: root) else {
            throw DatabaseError(message: "the cosigned root of \(origin) is not 32 bytes")
        }
        return CosignedState(size: row["size"], root: hash)
    }

    /// Keyed by the checkpoint text, not the whole note: signature lines of unknown keys can be varied at will and
    /// must not make a replay look new.
    private static func recordRefusal(
        _ db: Database, _ reason: RefusalReason, _ submission: VerifiedSubmission, previous: CosignedState,
        at time: Date
    ) throws {
        let digest = Data(SHA256.hash(data: Array(submission.log.note.text.utf8)))
        try db.execute(
            sql: """
                INSERT INTO refused_submissions (origin, reason, checkpoint_sha256, note, old_size, cosigned_size,
                    first_refused_at, last_refused_at, occurrences)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)
                ON CONFLICT (origin, reason, checkpoint_sha256) DO UPDATE SET
                    last_refused_at = excluded.last_refused_at, occurrences = occurrences + 1
                """,
            arguments: [
                submission.checkpoint.origin, reason.rawValue, digest, submission.log.note.serialized,
                submission.oldSize, previous.size, time, time,
            ]
        )
    }

    private static func refusedSubmission(_ row: Row) throws -> RefusedSubmission {
        let reasonText: String = row["reason"]
        guard let reason = RefusalReason(rawValue: reasonText) else {
            throw DatabaseError(message: "unknown refusal reason \(reasonText)")
        }
        return RefusedSubmission(
            origin: row["origin"], reason: reason, note: row["note"], oldSize: row["old_size"],
            cosignedSize: row["cosigned_size"], firstRefusedAt: row["first_refused_at"],
            lastRefusedAt: row["last_refused_at"], occurrences: row["occurrences"])
    }
}
