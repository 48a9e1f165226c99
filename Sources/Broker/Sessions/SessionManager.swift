package import Foundation
package import HoopCore
import Logging
import Metrics
import NIOCore

/// Owns the lifecycle of just-in-time sessions: grant (`+Granting`), tunnel admission (`+Tunnels`), expiry,
/// revocation and close; what it holds in memory is the `LiveSessionTable`, and what a previous run left behind is
/// closed by `InterruptedSessions`.
///
/// Every transition is audited before it takes effect, and a failed audit write refuses the transition. When a
/// session ends — by expiry, revocation or shutdown — its live tunnels are closed and its recording is sealed: the
/// recording's digest goes into the `session.close` audit event, binding the file to the log.
package actor SessionManager {
    let config: BrokerConfig
    let store: any Store
    let audit: AuditLog
    let auditor: SessionAuditor
    let grants: GrantSigner
    let approvals: ApprovalService
    let engines: EngineRegistry
    /// Closed when fail-closed witnessing lost its witnesses: no new session or tunnel until they cosign again.
    let evidenceGate: EvidenceGate
    let logger: Logger
    let recordingsDirectory: URL
    /// Who this broker is among the brokers sharing the store.
    nonisolated let deployment: BrokerDeployment
    /// Where every broker's recording segments are kept for the others to read; nil on the embedded store.
    let archive: (any RecordingArchive)?
    /// Segments whose last shipment failed after they ended: retried by every sweep until the archive has them.
    var unshipped: [RecordingShipper] = []
    var live = LiveSessionTable()
    /// Direct-mode logins by user name (`SessionManager+DirectLogins`).
    var directLogins = DirectLoginTable()
    let granted = Counter(label: "hoop_sessions_granted_total")
    let denied = Counter(label: "hoop_sessions_denied_total")

    init(
        config: BrokerConfig,
        store: any Store,
        audit: AuditLog,
        grants: GrantSigner,
        approvals: ApprovalService,
        engines: EngineRegistry,
        evidenceGate: EvidenceGate = EvidenceGate(),
        deployment: BrokerDeployment = .single(),
        archive: (any RecordingArchive)? = nil,
        logger: Logger
    ) {
        self.config = config
        self.store = store
        self.audit = audit
        self.auditor = SessionAuditor(audit: audit)
        self.grants = grants
        self.approvals = approvals
        self.engines = engines
        self.evidenceGate = evidenceGate
        self.logger = logger
        self.deployment = deployment
        self.archive = archive
        self.recordingsDirectory = config.dataDir.appendingPathComponent("recordings")
    }

    // MARK: Listing and revocation

    package func list(for principal: Principal, all: Bool) async throws(BrokerError) -> [SessionRecord] {
        if all && !AccessPolicy.isAdmin(principal, config: config) {
            throw BrokerError(
                .forbidden,
                code: "admin_required",
                message: "listing every session needs membership in an admin group",
                hint: "omit --all to list your own sessions"
            )
        }
        do {
            return try await store.sessions(
                issuer: all ? nil : principal.issuer,
                subject: all ? nil : principal.subject,
                limit: 500
            )
        } catch {
            throw .storeUnavailable(error, logger: logger)
        }
    }

    package func session(_ id: String, for principal: Principal) async throws(BrokerError) -> SessionRecord {
        let found: SessionRecord?
        do {
            found = try await store.session(id: id)
        } catch {
            throw .storeUnavailable(error, logger: logger)
        }
        guard let found, found.isOwned(by: principal) || AccessPolicy.isAdmin(principal, config: config) else {
            throw BrokerError(.notFound, code: "unknown_session", message: "there is no session \(id) of yours")
        }
        return found
    }

    package func revoke(_ id: String, by principal: Principal, now: Date = Date()) async throws(BrokerError)
        -> SessionRecord
    {
        let found = try await session(id, for: principal)
        guard found.status == .active else { return found }
        try await auditor.record(principal.displayName, .sessionRevoke, found.resource, id, .allow, [:])
        return try await end(found, status: .revoked, now: now, note: "revoked by \(principal.displayName)")
    }

    // MARK: Expiry, recovery and shutdown

    /// Ends every active session whose grant has expired. Run periodically by the broker.
    func expireDue(now: Date = Date()) async {
        let active: [SessionRecord]
        do {
            active = try await store.activeSessions()
        } catch is CancellationError {
            return
        } catch {
            logger.error("cannot list active sessions", metadata: ["error": "\(error)"])
            return
        }
        for session in active where session.expiresAt <= now {
            _ = try? await end(session, status: .expired, now: now, note: "grant expired")
        }
        pruneDirectLogins(now: now)
        guard deployment.shared else { return }
        await retryUnshipped()
        await reconcile(active: active, now: now)
        do {
            try await takeOverOrphans(among: active, now: now)
        } catch {
            logger.error("cannot take over interrupted sessions", metadata: ["error": "\(error)"])
        }
    }

    /// Syncs every live recording's written events to disk. A recording that has failed ends its session at once —
    /// its tunnels close — because traffic must not go on unrecorded.
    func flushRecordings(now: Date = Date()) async {
        for id in live.ids {
            guard let entry = live.entry(id) else { continue }
            do {
                try entry.recorder.flush()
                await ship(entry.shipper)
            } catch {
                logger.critical(
                    "recording failed; ending the session", metadata: ["session": "\(id)", "error": "\(error)"])
                guard let session = try? await store.session(id: id) else { continue }
                do {
                    _ = try await end(session, status: .closed, now: now, note: "recording failed: \(error.reason)")
                } catch {
                    // The store refused the close too (the same full disk, say). The tunnels are shut and the
                    // recorder refuses everything; keep the session so the next sweep closes it with this reason.
                    live.start(id, entry)
                }
            }
        }
    }
    /// Closes what a previous run left active (see `InterruptedSessions`); on a shared store, takes over the
    /// sessions of brokers that died instead (`+Deployment`).
    func closeInterruptedSessions(now: Date = Date()) async throws {
        guard !deployment.shared else {
            try await takeOverOrphans(now: now)
            return
        }
        try await InterruptedSessions(store: store, audit: audit, recordingsDirectory: recordingsDirectory)
            .close(now: now)
    }

    /// The tunnel connections open now, per session: what a stopping broker waits for.
    func openTunnels() -> [String: Int] {
        live.openChannels
    }

    /// Broker shutdown: ends every active session this broker owns (every one, on the embedded store) and seals the
    /// segments it recorded of sessions other brokers own, which go on there.
    func closeAll(now: Date = Date()) async {
        let active = (try? await store.activeSessions()) ?? []
        for session in active where !deployment.shared || session.owner == deployment.brokerID {
            _ = try? await end(session, status: .closed, now: now, note: "broker shutting down")
        }
        for id in live.ids {
            try? await releaseSegment(id, now: now, note: "broker shutting down")
        }
    }

    func end(_ session: SessionRecord, status requested: SessionStatus, now: Date, note requestedNote: String)
        async throws(BrokerError) -> SessionRecord
    {
        // A session whose recording failed ends for that reason, whoever comes first to end it: the sweep's own
        // close can wait for a full disk to take it, and a revoke, an expiry or a shutdown meanwhile must not be
        // what the evidence blames.
        let failure = live.entry(session.id)?.recorder.failure
        let status = failure == nil ? requested : .closed
        let note = failure.map { "recording failed: \($0)" } ?? requestedNote
        let segment = await closeLive(
            session.id, endDetails: ["status": .string(status.rawValue), "note": .string(note)])
        let endedHere: Bool
        do {
            endedHere = try await store.endSession(
                id: session.id, status: status, at: now, recordingDigest: segment?.summary?.digest)
        } catch {
            throw .storeUnavailable(error, logger: logger)
        }
        // Another broker ended it first (brokers sharing a store race to expire a session): its `session.close`
        // stands, and what this broker recorded, if anything, is sealed on its own.
        if !endedHere && segment == nil {
            return (try? await store.session(id: session.id)) ?? session
        }
        var details: [String: JSONValue] = ["status": .string(status.rawValue), "note": .string(note)]
        if let segment {
            details.merge(segment.sealDetails) { _, sealed in sealed }
            // `session.close` names the segment only when it is not the session's own; a `recording.seal` always
            // does.
            if segment.recording != session.id || !endedHere { details["recording"] = .string(segment.recording) }
        }
        let action: AuditAction = endedHere ? .sessionClose : .recordingSeal
        try await auditor.record("broker", action, session.resource, session.id, .info, .object(details))
        if endedHere { await sealDeadSegments(of: session, now: now) }
        var closed = session
        closed.status = status
        closed.endedAt = now
        closed.recordingDigest = segment?.summary?.digest
        return closed
    }
}
