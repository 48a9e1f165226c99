import Crypto
public import Foundation
public import HoopCore
public import Logging
import Metrics
import NIOCore

/// Owns the lifecycle of just-in-time sessions: grant, tunnel admission, expiry, revocation and close.
///
/// Every transition is audited before it takes effect, and a failed audit write refuses the transition. When a
/// session ends — by expiry, revocation or shutdown — its live tunnels are closed and its recording is sealed: the
/// recording's digest goes into the `session.close` audit event, binding the file to the chain.
public actor SessionManager {
    private let config: BrokerConfig
    private let store: any Store
    private let audit: AuditLog
    private let grants: GrantSigner
    private let approvals: ApprovalService
    private let engines: EngineRegistry
    private let logger: Logger
    private let recordingsDirectory: URL
    private var live: [String: LiveSession] = [:]
    private var liveChannels: [String: [ObjectIdentifier: any Channel]] = [:]
    private let granted = Counter(label: "hoop_sessions_granted_total")
    private let denied = Counter(label: "hoop_sessions_denied_total")
    private let activeSessions = Gauge(label: "hoop_sessions_active")
    private let activeTunnels = Gauge(label: "hoop_tunnel_connections_active")

    init(
        config: BrokerConfig,
        store: any Store,
        audit: AuditLog,
        grants: GrantSigner,
        approvals: ApprovalService,
        engines: EngineRegistry,
        logger: Logger
    ) {
        self.config = config
        self.store = store
        self.audit = audit
        self.grants = grants
        self.approvals = approvals
        self.engines = engines
        self.logger = logger
        self.recordingsDirectory = config.dataDir.appendingPathComponent("recordings")
    }

    // MARK: Granting

    /// Grants a session, or — on a resource with `session_approval` — opens an approval request and answers
    /// `pending` until the caller comes back with the approved request's id.
    func open(_ request: SessionRequest, for principal: Principal, now: Date = Date()) async throws(BrokerError)
        -> SessionOpening
    {
        guard let resource = config.resource(named: request.resource) else {
            denied.increment()
            try await record(
                principal.displayName, .sessionDeny, request.resource, nil, .deny, ["reason": "unknown_resource"])
            throw BrokerError(
                .notFound,
                code: "unknown_resource",
                message: "there is no resource named \(request.resource)",
                hint: "run `hoopctl resources` to see what you may use"
            )
        }
        guard AccessPolicy.allows(principal, resource) else {
            denied.increment()
            try await record(
                principal.displayName, .sessionDeny, resource.name, nil, .deny,
                ["reason": "not_in_allowed_groups", "groups": .array(principal.groups.map { .string($0) })]
            )
            throw BrokerError(
                .forbidden,
                code: "access_denied",
                message: "\(principal.displayName) is not in a group allowed to use \(resource.name)",
                hint: "ask for membership in one of: \(resource.allowGroups.joined(separator: ", "))"
            )
        }
        if let requirement = resource.sessionApproval {
            let requester = ApprovalRequester(principal)
            guard let id = request.approval else {
                let pending = try await approvals.request(
                    ApprovalDraft(
                        kind: .session, requester: requester, resource: resource.name, session: nil, statement: nil,
                        reason: request.reason, rule: "session_approval", requirement: requirement
                    ),
                    now: now
                )
                return .pending(pending)
            }
            _ = try await approvals.use(
                id, by: requester, resource: resource.name, kind: .session, statement: nil, session: nil, now: now)
        }
        let requested = request.durationSeconds.map(TimeInterval.init) ?? resource.maxSession
        guard requested > 0 else {
            throw BrokerError(.badRequest, code: "bad_duration", message: "duration must be positive")
        }
        let lifetime = min(requested, resource.maxSession)
        let session = SessionRecord(
            id: Self.newSessionID(),
            resource: resource.name,
            resourceType: resource.type,
            issuer: principal.issuer,
            subject: principal.subject,
            email: principal.email,
            groups: principal.groups,
            reason: request.reason,
            status: .active,
            createdAt: now,
            expiresAt: now.addingTimeInterval(lifetime),
            endedAt: nil,
            connections: 0,
            bytesUp: 0,
            bytesDown: 0,
            recordingDigest: nil
        )
        let credentials = try engines.engine(for: resource.type).clientLogin(for: resource)
        let recorder: SessionRecorder
        let grant: String
        do {
            recorder = try SessionRecorder(
                directory: recordingsDirectory,
                sessionID: session.id,
                metadata: [
                    "session": .string(session.id), "resource": .string(resource.name),
                    "type": .string(resource.type.rawValue), "actor": .string(principal.displayName),
                    "started": .string(Timestamp.format(now)),
                ]
            )
            grant = try await grants.sign(session)
            try await store.insertSession(session)
        } catch {
            logger.error("cannot start session", metadata: ["error": "\(error)"])
            // The store holds no such session, so its recording would be evidence of nothing.
            try? FileManager.default.removeItem(at: recordingsDirectory.appendingPathComponent("\(session.id).jsonl"))
            throw BrokerError(
                .unavailable,
                code: "session_store_unavailable",
                message: "the broker cannot record a new session: \(error)",
                hint: "ask the operator to check the broker's data directory"
            )
        }
        try await record(
            principal.displayName, .sessionGrant, resource.name, session.id, .allow,
            [
                "reason": JSONValue(request.reason), "expires_at": .string(Timestamp.format(session.expiresAt)),
                "recording": .string(recorder.url.lastPathComponent),
            ]
        )
        live[session.id] = LiveSession(recorder: recorder, clientPassword: credentials?.password)
        granted.increment()
        activeSessions.record(live.count)
        return .granted(session, grant: grant, credentials: credentials)
    }

    // MARK: Listing and revocation

    public func list(for principal: Principal, all: Bool) async throws(BrokerError) -> [SessionRecord] {
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

    public func session(_ id: String, for principal: Principal) async throws(BrokerError) -> SessionRecord {
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

    public func revoke(_ id: String, by principal: Principal, now: Date = Date()) async throws(BrokerError)
        -> SessionRecord
    {
        let found = try await session(id, for: principal)
        guard found.status == .active else { return found }
        try await record(principal.displayName, .sessionRevoke, found.resource, id, .allow, [:])
        return try await end(found, status: .revoked, now: now, note: "revoked by \(principal.displayName)")
    }

    // MARK: Tunnels

    /// Admits a tunnel for a grant: the signature must verify and the session must still be active and unexpired.
    func admit(grant: String, now: Date = Date()) async throws(BrokerError) -> AdmittedTunnel {
        guard let claims = await grants.verify(grant) else {
            try await record("anonymous", .tunnelDeny, nil, nil, .deny, ["reason": "invalid_grant"])
            throw BrokerError(
                .unauthenticated,
                code: "invalid_grant",
                message: "the session grant is invalid or expired",
                hint: "run `hoopctl connect` again to open a new session"
            )
        }
        let stored: SessionRecord?
        do {
            stored = try await store.session(id: claims.sessionID)
        } catch {
            throw .storeUnavailable(error, logger: logger)
        }
        guard let session = stored, session.status == .active, session.expiresAt > now,
            session.resource == claims.resource, let current = live[session.id],
            let resource = config.resource(named: session.resource)
        else {
            try await record(
                claims.principalSubject, .tunnelDeny, claims.resource, claims.sessionID, .deny,
                ["reason": .string("session_\(stored?.status.rawValue ?? "missing")")]
            )
            throw BrokerError(
                .forbidden,
                code: "session_ended",
                message: "session \(claims.sessionID) is no longer active",
                hint: "run `hoopctl connect` again to open a new session"
            )
        }
        return AdmittedTunnel(
            session: session,
            resource: resource,
            recorder: current.recorder,
            clientPassword: current.clientPassword,
            approvals: approvals
        )
    }

    /// Tracks a live channel so ending the session closes it. Returns false if the session already ended.
    func attach(_ channel: any Channel, to sessionID: String) -> Bool {
        guard live[sessionID] != nil else { return false }
        liveChannels[sessionID, default: [:]][ObjectIdentifier(channel)] = channel
        activeTunnels.record(liveChannels.values.reduce(0) { $0 + $1.count })
        return true
    }

    func detach(_ channel: any Channel, from sessionID: String) {
        liveChannels[sessionID]?[ObjectIdentifier(channel)] = nil
        activeTunnels.record(liveChannels.values.reduce(0) { $0 + $1.count })
    }

    /// Audits a tunnel connection event on behalf of the session's principal.
    func recordConnection(
        _ action: AuditAction, _ tunnel: AdmittedTunnel, _ decision: AuditDecision, _ details: JSONValue
    )
        async throws(BrokerError)
    {
        let session = tunnel.session
        try await record(session.email ?? session.subject, action, session.resource, session.id, decision, details)
    }

    func addTraffic(_ sessionID: String, bytesUp: Int, bytesDown: Int) async {
        do {
            try await store.addTraffic(sessionID: sessionID, connections: 1, bytesUp: bytesUp, bytesDown: bytesDown)
        } catch {
            logger.error("cannot update session traffic", metadata: ["session": "\(sessionID)", "error": "\(error)"])
        }
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
    }

    /// Syncs every live recording's written events to disk. A recording that has failed ends its session at once —
    /// its tunnels close — because traffic must not go on unrecorded.
    func flushRecordings(now: Date = Date()) async {
        for (id, entry) in live {
            do {
                try entry.recorder.flush()
            } catch {
                logger.critical(
                    "recording failed; ending the session", metadata: ["session": "\(id)", "error": "\(error)"])
                guard let session = try? await store.session(id: id) else { continue }
                do {
                    _ = try await end(session, status: .closed, now: now, note: "recording failed: \(error.reason)")
                } catch {
                    // The store refused the close too (the same full disk, say). The tunnels are shut and the
                    // recorder refuses everything; keep the session so the next sweep closes it with this reason.
                    live[id] = entry
                }
            }
        }
    }

    /// Sessions left active by a previous run that stopped without closing them cannot be resumed (their recorders
    /// are gone); close them so their status is truthful and the chain says why, and seal what their recordings
    /// hold with a `session.close` like any other, so they can be exported and verified.
    func closeInterruptedSessions(now: Date = Date()) async throws {
        for session in try await store.activeSessions() {
            let reason = "the broker stopped without closing the session"
            var details: [String: JSONValue] = ["reason": .string(reason)]
            var sealed: InterruptedRecording.Sealed?
            do {
                sealed = try InterruptedRecording.seal(
                    recordingsDirectory.appendingPathComponent("\(session.id).jsonl"),
                    details: ["note": .string(reason)])
            } catch {
                details["recording_error"] = .string(error.description)
            }
            if let sealed, sealed.tornBytes > 0 { details["recording_torn_bytes"] = .int(Int64(sealed.tornBytes)) }
            _ = try await store.endSession(
                id: session.id, status: .closed, at: now, recordingDigest: sealed?.summary.digest)
            try await audit.record(
                AuditDraft(
                    actor: "broker", action: .sessionInterrupted, resource: session.resource, session: session.id,
                    decision: .info, details: .object(details)
                )
            )
            guard let sealed else { continue }
            try await audit.record(
                AuditDraft(
                    actor: "broker", action: .sessionClose, resource: session.resource, session: session.id,
                    decision: .info,
                    details: [
                        "status": .string(SessionStatus.closed.rawValue), "note": .string("interrupted: \(reason)"),
                        "recording_digest": .string(sealed.summary.digest),
                        "recording_events": .int(sealed.summary.events),
                    ]
                )
            )
        }
    }

    /// Ends every active session (broker shutdown).
    func closeAll(now: Date = Date()) async {
        let active = (try? await store.activeSessions()) ?? []
        for session in active {
            _ = try? await end(session, status: .closed, now: now, note: "broker shutting down")
        }
    }

    private func end(_ session: SessionRecord, status: SessionStatus, now: Date, note: String) async throws(BrokerError)
        -> SessionRecord
    {
        for channel in liveChannels.removeValue(forKey: session.id)?.values ?? [:].values {
            channel.close(promise: nil)
        }
        var summary: RecordingSummary?
        var recordingProblem: String?
        activeTunnels.record(liveChannels.values.reduce(0) { $0 + $1.count })
        if let recorder = live.removeValue(forKey: session.id)?.recorder {
            activeSessions.record(live.count)
            do {
                summary = try recorder.finish(details: ["status": .string(status.rawValue), "note": .string(note)])
            } catch {
                recordingProblem = error.description
            }
        }
        do {
            _ = try await store.endSession(id: session.id, status: status, at: now, recordingDigest: summary?.digest)
        } catch {
            throw .storeUnavailable(error, logger: logger)
        }
        var details: [String: JSONValue] = ["status": .string(status.rawValue), "note": .string(note)]
        if let summary {
            details["recording_digest"] = .string(summary.digest)
            details["recording_events"] = .int(summary.events)
        }
        if let recordingProblem { details["recording_error"] = .string(recordingProblem) }
        try await record("broker", .sessionClose, session.resource, session.id, .info, .object(details))
        var ended = session
        ended.status = status
        ended.endedAt = now
        ended.recordingDigest = summary?.digest
        return ended
    }

    // MARK: Helpers

    /// Appends one event; a failed append refuses whatever the event describes.
    private func record(
        _ actor: String,
        _ action: AuditAction,
        _ resource: String?,
        _ session: String?,
        _ decision: AuditDecision,
        _ details: JSONValue
    ) async throws(BrokerError) {
        do {
            try await audit.record(
                AuditDraft(
                    actor: actor,
                    action: action,
                    resource: resource,
                    session: session,
                    decision: decision,
                    details: details
                )
            )
        } catch {
            throw .auditUnavailable(error)
        }
    }

    private static func newSessionID() -> String {
        "ses_" + SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }.hexString.prefix(20)
    }
}

/// The outcome of asking for a session.
enum SessionOpening: Sendable {
    case granted(SessionRecord, grant: String, credentials: SessionCredentials?)
    /// The resource needs approval first; the request is open.
    case pending(ApprovalRecord)
}

/// A tunnel whose grant checked out: the session, its resource, the recorder its traffic goes to, and the login
/// local clients must present (for protocols that have one).
struct AdmittedTunnel: Sendable {
    var session: SessionRecord
    var resource: ResourceConfig
    var recorder: SessionRecorder
    var clientPassword: String?
    /// Where statements needing approval go.
    var approvals: ApprovalService
    /// How this connection's client wants held statements treated (from its tunnel request).
    var approvalMode = ApprovalMode.interactive
}

/// What the broker holds in memory for an active session; none of it outlives the session.
private struct LiveSession {
    var recorder: SessionRecorder
    var clientPassword: String?
}
