import Crypto
import Foundation
import HoopCore
import Logging

/// Serves evidence to auditors and keeps it within retention: assembles signed export bundles, hands out session
/// recordings for replay, and replaces expired recordings by signed tombstones so the log still verifies.
actor EvidenceService {
    private let config: BrokerConfig
    private let store: any Store
    private let audit: AuditLog
    private let checkpointer: AuditCheckpointer
    private let witnesses: WitnessCoordinator?
    private let key: any EvidenceSigner
    private let logger: Logger
    private let recordings: URL

    init(
        config: BrokerConfig,
        store: any Store,
        audit: AuditLog,
        checkpointer: AuditCheckpointer,
        witnesses: WitnessCoordinator?,
        key: any EvidenceSigner,
        logger: Logger
    ) {
        self.config = config
        self.store = store
        self.audit = audit
        self.checkpointer = checkpointer
        self.witnesses = witnesses
        self.key = key
        self.logger = logger
        self.recordings = config.dataDir.appendingPathComponent("recordings")
    }

    // MARK: Export

    /// A bundle ending at a checkpoint signed now (and offered to the witnesses first), holding every event from the
    /// first one the filter's `since` selects — earlier when the newest witnessed head or an approval a shown use
    /// refers to lies before it — and the compact range standing for the leaves before. Events outside `filter`
    /// appear as leaf-hash stubs.
    func export(_ filter: EvidenceFilter, by principal: Principal, now: Date = Date()) async throws(BrokerError)
        -> EvidenceBundle
    {
        try requireAuditor(principal, "export audit evidence")
        do {
            let latest = try await signedHead(now: now)
            let size = latest.checkpoint.size
            guard size > 0 else {
                throw BrokerError(.notFound, code: "no_events", message: "the audit log holds no events yet")
            }
            let cosigned = try await store.lastCosignedCheckpoint()
            var events: [AuditEvent] = []
            var rotations: [KeyRotation] = []
            var next: Int64 = 1
            while next <= size {
                let page = try await store.auditEvents(from: next, limit: 5_000).prefix { $0.seq <= size }
                guard let last = page.last else { break }
                for event in page {
                    if event.kind == .auditKeyRotated { rotations.append(try KeyRotation(event: event)) }
                    events.append(event)
                }
                next = last.seq + 1
            }
            let boundary = ExportBoundary.leavesBefore(
                events, filter: filter, witnessedSize: cosigned?.checkpoint.size)
            let shown = Array(events[Int(boundary)...])
            let prefix = try await store.withAuditTree { tree, _ in
                try MerkleMath.compactRange(count: boundary).map {
                    ($0, try tree.node(level: $0.level, index: $0.index))
                }
            }
            var files: [String: [UInt8]] = [:]
            var tombstones: [RecordingTombstone] = []
            let matched = filter.sessions(in: shown)
            for event in shown where event.kind == .sessionClose {
                guard let session = event.session, matched.contains(session) else { continue }
                if let bytes = FileManager.default.contents(atPath: recordingURL(session).path) {
                    files[session] = Array(bytes)
                } else if let bytes = FileManager.default.contents(atPath: tombstoneURL(session).path) {
                    tombstones.append(try RecordingTombstone(json: Array(bytes)))
                }
            }
            let witnessed = cosigned.flatMap { $0.checkpoint.size < size ? $0.note : nil }
            let bundle = try EvidenceBundleWriter(signingKey: key).assemble(
                EvidenceExport(
                    origin: latest.checkpoint.origin, prefix: prefix, events: shown, checkpoint: latest.note,
                    witnessed: witnessed, rotations: rotations, recordings: files, tombstones: tombstones,
                    filter: filter, exportedAt: Timestamp.format(now)))
            try await audit.record(
                AuditDraft(
                    actor: principal.displayName, action: .auditExport, decision: .allow,
                    details: [
                        "filters": filter.jsonValue, "first_seq": .int(boundary + 1), "tree_size": .int(size),
                    ]))
            return bundle
        } catch let error as BrokerError {
            throw error
        } catch {
            logger.error("export failed", metadata: ["error": "\(error)"])
            throw BrokerError(.internalFailure, code: "export_failed", message: "the broker could not export: \(error)")
        }
    }

    /// One event's inclusion proof against the newest checkpoint covering it, preferring one witnesses cosigned.
    func inclusionProof(seq: Int64, by principal: Principal, now: Date = Date()) async throws(BrokerError)
        -> InclusionProof
    {
        try requireAuditor(principal, "export audit evidence")
        do {
            let latest = try await signedHead(now: now)
            guard seq >= 1, seq <= latest.checkpoint.size,
                let event = try await store.auditEvents(from: seq, limit: 1).first, event.seq == seq
            else {
                throw BrokerError(
                    .notFound, code: "unknown_event",
                    message: "there is no audit event \(seq) (the log holds 1...\(latest.checkpoint.size))")
            }
            var anchor = latest
            if let cosigned = try await store.lastCosignedCheckpoint(), cosigned.checkpoint.size >= seq {
                anchor = cosigned
            }
            let size = anchor.checkpoint.size
            let path = try await store.withAuditTree { tree, _ in try tree.inclusionProof(index: seq - 1, size: size) }
            return InclusionProof(event: event, treeSize: size, path: path, checkpoint: anchor.note)
        } catch let error as BrokerError {
            throw error
        } catch {
            logger.error("proof failed", metadata: ["error": "\(error)"])
            throw BrokerError(.internalFailure, code: "proof_failed", message: "the broker could not prove: \(error)")
        }
    }

    /// Signs the current head and gives the witnesses a chance to cosign it before evidence leaves the broker.
    private func signedHead(now: Date) async throws -> StoredCheckpoint {
        try await checkpointer.checkpoint(force: true, now: now)
        await witnesses?.submit(now: now)
        guard let latest = try await store.lastCheckpoint() else {
            throw BrokerError(.internalFailure, code: "no_checkpoint", message: "the audit log has no checkpoint")
        }
        return latest
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
        guard let session, AccessPolicy.mayReplay(session, by: principal, config: config) else {
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
        recordings.appendingPathComponent(RecordingTombstone.fileName(name: session))
    }
}
