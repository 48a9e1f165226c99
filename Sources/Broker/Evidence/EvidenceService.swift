import Crypto
import Foundation
import HoopCore
import Logging

/// Serves evidence to auditors and keeps it within retention: assembles signed export bundles, hands out session
/// recordings for replay, and replaces expired recordings by signed tombstones so the chain still verifies.
actor EvidenceService {
    private let config: BrokerConfig
    private let store: any Store
    private let audit: AuditLog
    private let checkpointer: AuditCheckpointer
    private let key: any EvidenceSigner
    private let logger: Logger
    private let recordings: URL

    init(
        config: BrokerConfig,
        store: any Store,
        audit: AuditLog,
        checkpointer: AuditCheckpointer,
        key: any EvidenceSigner,
        logger: Logger
    ) {
        self.config = config
        self.store = store
        self.audit = audit
        self.checkpointer = checkpointer
        self.key = key
        self.logger = logger
        self.recordings = config.dataDir.appendingPathComponent("recordings")
    }

    // MARK: Export

    /// A bundle of everything up to a checkpoint signed now; events outside `filter` appear as hash-only stubs.
    func export(_ filter: EvidenceFilter, by principal: Principal, now: Date = Date()) async throws(BrokerError)
        -> EvidenceBundle
    {
        try requireAuditor(principal, "export audit evidence")
        do {
            try await checkpointer.checkpoint(force: true, now: now)
            let all = try await store.checkpoints(from: 0)
            // Start right after the newest checkpoint older than `since`, so a bounded export stays small.
            let anchor = filter.since.flatMap { since in all.last { $0.time < since } }
            let firstSeq = (anchor?.seq ?? 0) + 1
            var events: [AuditEvent] = []
            var rotations: [KeyRotation] = []
            var next: Int64 = 1
            while true {
                let page = try await store.auditEvents(from: next, limit: 5_000)
                guard let last = page.last else { break }
                for event in page {
                    if event.kind == .auditKeyRotated { rotations.append(try KeyRotation(event: event)) }
                    if event.seq >= firstSeq { events.append(event) }
                }
                next = last.seq + 1
            }
            var files: [String: [UInt8]] = [:]
            var tombstones: [RecordingTombstone] = []
            for event in events where event.kind == .sessionClose && filter.matches(event) {
                guard let session = event.session else { continue }
                if let bytes = FileManager.default.contents(atPath: recordingURL(session).path) {
                    files[session] = Array(bytes)
                } else if let bytes = FileManager.default.contents(atPath: tombstoneURL(session).path) {
                    tombstones.append(try RecordingTombstone(json: Array(bytes)))
                }
            }
            let bundle = try EvidenceBundleWriter(signingKey: key).assemble(
                EvidenceExport(
                    events: events,
                    checkpoints: all.filter { $0.seq >= firstSeq - 1 },
                    rotations: rotations,
                    recordings: files,
                    tombstones: tombstones,
                    filter: filter,
                    exportedAt: Timestamp.format(now)
                )
            )
            try await audit.record(
                AuditDraft(
                    actor: principal.displayName, action: .auditExport, decision: .allow,
                    details: ["filters": filter.jsonValue, "first_seq": .int(firstSeq)]))
            return bundle
        } catch let error as BrokerError {
            throw error
        } catch {
            logger.error("export failed", metadata: ["error": "\(error)"])
            throw BrokerError(.internalFailure, code: "export_failed", message: "the broker could not export: \(error)")
        }
    }

    // MARK: Replay

    /// The raw recording of a session, for its owner and for auditors.
    func recording(_ sessionID: String, for principal: Principal) async throws(BrokerError) -> [UInt8] {
        let session: SessionRecord?
        do {
            session = try await store.session(id: sessionID)
        } catch {
            throw .storeUnavailable(error, logger: logger)
        }
        guard let session, session.isOwned(by: principal) || AccessPolicy.isAuditor(principal, config: config) else {
            throw BrokerError(.notFound, code: "unknown_session", message: "there is no session \(sessionID) of yours")
        }
        if let bytes = FileManager.default.contents(atPath: recordingURL(sessionID).path) {
            return Array(bytes)
        }
        if FileManager.default.fileExists(atPath: tombstoneURL(sessionID).path) {
            throw BrokerError(
                .notFound, code: "recording_pruned",
                message: "the recording of \(sessionID) was pruned under the retention policy; its tombstone remains")
        }
        throw BrokerError(.notFound, code: "recording_missing", message: "there is no recording of \(sessionID)")
    }

    // MARK: Retention

    /// Replaces the recordings of sessions that ended more than the retention period ago by signed tombstones.
    /// The tombstone is written and the pruning audited before the recording is removed.
    func pruneExpiredRecordings(now: Date = Date()) async {
        guard let retention = config.evidence.recordingRetention else { return }
        let cutoff = now.addingTimeInterval(-retention)
        guard let sessions = try? await store.sessions(issuer: nil, subject: nil, limit: 100_000) else { return }
        for session in sessions where session.status != .active && (session.endedAt ?? now) < cutoff {
            let file = recordingURL(session.id)
            guard let bytes = FileManager.default.contents(atPath: file.path) else { continue }
            do {
                let events = try RecordingFile.events(in: Array(bytes))
                guard let last = events.last else { continue }
                let tombstone = try RecordingTombstone.sign(
                    session: session.id, digest: last.hash, events: Int64(events.count),
                    prunedAt: Timestamp.format(now), reason: "retention", key: key)
                try SecureFile.write(Data(tombstone.json.utf8), to: tombstoneURL(session.id))
                try await audit.record(
                    AuditDraft(
                        actor: "broker", action: .recordingPruned, resource: session.resource, session: session.id,
                        decision: .info,
                        details: ["digest": .string(last.hash), "events": .int(Int64(events.count))]))
                try FileManager.default.removeItem(at: file)
            } catch {
                logger.error("cannot prune recording", metadata: ["session": "\(session.id)", "error": "\(error)"])
            }
        }
    }

    // MARK: Helpers

    private func requireAuditor(_ principal: Principal, _ what: String) throws(BrokerError) {
        guard AccessPolicy.isAuditor(principal, config: config) else {
            throw BrokerError(
                .forbidden, code: "auditor_required",
                message: "\(principal.displayName) may not \(what)",
                hint: "this needs membership in an auditor or admin group")
        }
    }

    private func recordingURL(_ session: String) -> URL {
        recordings.appendingPathComponent("\(session).jsonl")
    }

    private func tombstoneURL(_ session: String) -> URL {
        recordings.appendingPathComponent(RecordingTombstone.fileName(session: session))
    }
}
