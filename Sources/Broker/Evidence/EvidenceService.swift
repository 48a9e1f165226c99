import Crypto
import Foundation
import HoopCore
import Logging

/// Serves evidence to auditors and keeps it within retention: assembles signed export bundles, hands out session
/// recordings for replay, and replaces expired recordings by signed tombstones so the log still verifies.
///
/// A session's recording may be several segments, one per broker that served it (`SealedRecording.name`). Each is
/// read from this broker's `recordings/` folder when it wrote it, and from the shared `RecordingArchive` otherwise.
actor EvidenceService {
    private let config: BrokerConfig
    private let store: any Store
    private let audit: AuditLog
    private let checkpointer: AuditCheckpointer
    private let witnesses: WitnessCoordinator?
    private let key: any EvidenceSigner
    private let logger: Logger
    /// This broker's own `recordings/` folder.
    private let own: LocalRecordingArchive
    private let archive: any RecordingArchive

    /// `archive` is where other brokers' segments are read from; nil means this broker's own `recordings/` folder
    /// (`LocalRecordingArchive`), all a single embedded broker has.
    init(
        config: BrokerConfig,
        store: any Store,
        audit: AuditLog,
        checkpointer: AuditCheckpointer,
        witnesses: WitnessCoordinator?,
        key: any EvidenceSigner,
        logger: Logger,
        archive: (any RecordingArchive)? = nil
    ) {
        self.config = config
        self.store = store
        self.audit = audit
        self.checkpointer = checkpointer
        self.witnesses = witnesses
        self.key = key
        self.logger = logger
        let own = LocalRecordingArchive(directory: config.dataDir.appendingPathComponent("recordings"))
        self.own = own
        self.archive = archive ?? own
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
            var segments: [String: StreamedBundleFile] = [:]
            var tombstones: [RecordingTombstone] = []
            let matched = filter.sessions(in: shown)
            for event in shown where SealedRecording.seals(event, of: matched) {
                guard let sealed = SealedRecording(event), segments[sealed.name] == nil,
                    RecordingSegmentName.isSafe(sealed.name)
                else { continue }
                if let segment = try await measure(sealed.name) {
                    segments[sealed.name] = segment
                } else if let bytes = try await tombstone(of: sealed.name) {
                    tombstones.append(try RecordingTombstone(json: bytes))
                }
            }
            let witnessed = cosigned.flatMap { $0.checkpoint.size < size ? $0.note : nil }
            let bundle = try EvidenceBundleWriter(signingKey: key).assemble(
                EvidenceExport(
                    origin: latest.checkpoint.origin, prefix: prefix, events: shown, checkpoint: latest.note,
                    witnessed: witnessed, rotations: rotations, streamedRecordings: segments, tombstones: tombstones,
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

    /// The raw recording of a session, for its owner and for auditors, read a page at a time: `name` is the session
    /// id for the granting broker's segment, or `<session>.<broker>` for the segment another broker recorded
    /// (`recordingSegments(_:for:)` lists them). The first page is read here, so a missing or pruned recording is an
    /// error before any byte is sent.
    func openRecording(_ name: String, for principal: Principal) async throws(BrokerError) -> OpenedRecording {
        let sessionID = RecordingSegmentName.session(of: name)
        try await requireReplay(sessionID, by: principal)
        guard RecordingSegmentName.isSafe(name) else {
            throw BrokerError(.notFound, code: "recording_missing", message: "there is no recording \(name)")
        }
        var pages = segmentSource(name).pages(of: name)
        let first: [UInt8]?
        do {
            first = try await pages.next()
        } catch {
            throw Self.unreadable(name, error, logger: logger)
        }
        if let first {
            let logger = logger
            return OpenedRecording(name: name, firstPage: first, rest: pages) {
                Self.unreadable(name, $0, logger: logger)
            }
        }
        let pruned: Bool
        do {
            pruned = try await tombstone(of: name) != nil
        } catch {
            throw Self.unreadable(name, error, logger: logger)
        }
        if pruned {
            throw BrokerError(
                .notFound, code: "recording_pruned",
                message: "the recording \(name) was pruned under the retention policy; its tombstone remains")
        }
        throw BrokerError(.notFound, code: "recording_missing", message: "there is no recording \(name)")
    }

    /// The whole recording, for the approver page's replay view, which renders it at once.
    func recording(_ name: String, for principal: Principal) async throws(BrokerError) -> [UInt8] {
        var opened = try await openRecording(name, for: principal)
        var bytes: [UInt8] = []
        while let page = try await opened.next() { bytes += page }
        return bytes
    }

    /// Why a recording could not be read, logged and put for the client.
    private static func unreadable(_ name: String, _ error: any Error, logger: Logger) -> BrokerError {
        logger.error("cannot read recording", metadata: ["recording": "\(name)", "error": "\(error)"])
        return BrokerError(
            .internalFailure, code: "recording_unavailable", message: "the recording \(name) cannot be read: \(error)")
    }

    /// The names of a session's recording segments: its own first, then those other brokers recorded.
    func recordingSegments(_ sessionID: String, for principal: Principal) async throws(BrokerError) -> [String] {
        try await requireReplay(sessionID, by: principal)
        do {
            return try await segmentNames(of: sessionID)
        } catch {
            logger.error("cannot list recordings", metadata: ["session": "\(sessionID)", "error": "\(error)"])
            throw BrokerError(
                .internalFailure, code: "recording_unavailable",
                message: "the recordings of \(sessionID) cannot be listed: \(error)")
        }
    }

    private func requireReplay(_ sessionID: String, by principal: Principal) async throws(BrokerError) {
        let session: SessionRecord?
        do {
            session = try await store.session(id: sessionID)
        } catch {
            throw .storeUnavailable(error, logger: logger)
        }
        guard let session, AccessPolicy.mayReplay(session, by: principal, config: config) else {
            throw BrokerError(.notFound, code: "unknown_session", message: "there is no session \(sessionID) of yours")
        }
    }

    // MARK: Retention

    /// Replaces the recording segments of sessions that ended more than the retention period ago by signed
    /// tombstones, wherever they are kept: this broker's folder and the shared archive, where every broker finds the
    /// tombstone. The tombstone is kept and the pruning audited before the segment is removed.
    func pruneExpiredRecordings(now: Date = Date()) async {
        guard let retention = config.evidence.recordingRetention else { return }
        let cutoff = now.addingTimeInterval(-retention)
        guard let sessions = try? await store.sessions(issuer: nil, subject: nil, limit: 100_000) else { return }
        for session in sessions where session.status != .active && (session.endedAt ?? now) < cutoff {
            let names: [String]
            do {
                names = try await segmentNames(of: session.id)
            } catch {
                logger.error("cannot list recordings", metadata: ["session": "\(session.id)", "error": "\(error)"])
                continue
            }
            for name in names {
                await prune(name, of: session, now: now)
            }
        }
    }

    private func prune(_ name: String, of session: SessionRecord, now: Date) async {
        do {
            guard let bytes = try await segmentBytes(name) else { return }
            let events = try RecordingFile.events(in: bytes)
            guard let last = events.last else { return }
            let tombstone = try RecordingTombstone.sign(
                session: name, digest: last.hash, events: Int64(events.count), prunedAt: Timestamp.format(now),
                reason: "retention", key: key)
            try await own.keepTombstone(Array(tombstone.json.utf8), of: name)
            try await archive.keepTombstone(Array(tombstone.json.utf8), of: name)
            var details: [String: JSONValue] = ["digest": .string(last.hash), "events": .int(Int64(events.count))]
            if name != session.id { details[RecordingSealDetail.recording] = .string(name) }
            try await audit.record(
                AuditDraft(
                    actor: "broker", action: .recordingPruned, resource: session.resource, session: session.id,
                    decision: .info, details: .object(details)))
            try await own.remove(name)
            try await archive.remove(name)
        } catch {
            logger.error("cannot prune recording", metadata: ["recording": "\(name)", "error": "\(error)"])
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

    /// A segment's length and digest, read a page at a time: what the bundle's manifest seals before the segment
    /// streams out (`exportedSegment(_:)`). Nil when no copy is held.
    private func measure(_ name: String) async throws -> StreamedBundleFile? {
        var pages = segmentSource(name).pages(of: name)
        guard var page = try await pages.next() else { return nil }
        var hash = SHA256()
        var size: Int64 = 0
        while true {
            hash.update(data: page)
            size += Int64(page.count)
            guard let next = try await pages.next() else { break }
            page = next
        }
        return StreamedBundleFile(segment: name, size: size, digest: hash.finalize().hexString)
    }

    /// The pages of a segment an export named, as the bundle streams out.
    nonisolated func exportedSegment(_ file: StreamedBundleFile) -> RecordingPages {
        segmentSource(file.segment).pages(of: file.segment)
    }

    /// Where a segment is read from: this broker's own folder when it recorded it, the shared archive otherwise.
    private nonisolated func segmentSource(_ name: String) -> any RecordingArchive {
        FileManager.default.fileExists(atPath: own.file(name).path) ? own : archive
    }

    /// A segment's bytes whole, for what judges it as one (pruning signs its last hash).
    private func segmentBytes(_ name: String) async throws -> [UInt8]? {
        try await segmentSource(name).segment(name)
    }

    /// The segments of a session in this broker's folder or the archive, the session's own first.
    private func segmentNames(of sessionID: String) async throws -> [String] {
        let local = try await own.segments(of: sessionID)
        let names = Set(local).union(try await archive.segments(of: sessionID))
        return names.sorted { ($0 == sessionID ? 0 : 1, $0) < ($1 == sessionID ? 0 : 1, $1) }
    }

    /// A pruned segment's tombstone: this broker's own copy, or the one the broker that pruned it kept in the
    /// archive.
    private func tombstone(of name: String) async throws -> [UInt8]? {
        if let kept = try await own.tombstone(of: name) { return kept }
        return try await archive.tombstone(of: name)
    }
}
