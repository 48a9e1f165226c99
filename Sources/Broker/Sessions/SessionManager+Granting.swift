import Crypto
import Foundation
import HoopCore
import Logging
import Metrics

// MARK: Granting

extension SessionManager {
    /// Grants a session, or — on a resource with `session_approval` — opens an approval request and answers
    /// `pending` until the caller comes back with the approved request's id.
    func open(_ request: SessionRequest, for principal: Principal, now: Date = Date()) async throws(BrokerError)
        -> SessionOpening
    {
        if let refusal = evidenceGate.refusal {
            denied.increment()
            try await auditor.record(
                principal.displayName, .sessionDeny, request.resource, nil, .deny, ["reason": "evidence_unwitnessed"])
            throw .evidenceUnwitnessed(refusal)
        }
        guard let resource = config.resource(named: request.resource) else {
            denied.increment()
            try await auditor.record(
                principal.displayName, .sessionDeny, request.resource, nil, .deny, ["reason": "unknown_resource"])
            // Suggested only among resources the caller may use, so a typo reveals no other name.
            let usable = config.resources.filter { AccessPolicy.allows(principal, $0) }.map(\.name)
            throw BrokerError(
                .notFound,
                code: "unknown_resource",
                message: "there is no resource named \(request.resource)"
                    + Spelling.didYouMean(request.resource, among: usable),
                hint: "run `hoopctl resources` to see what you may use"
            )
        }
        guard AccessPolicy.allows(principal, resource) else {
            denied.increment()
            try await auditor.record(
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
            recordingDigest: nil,
            owner: deployment.brokerID
        )
        let origin = request.origin.map(\.evidence)
        var credentials = try engines.engine(for: resource.type).clientLogin(for: resource)
        if resource.allowsDirect { credentials?.directPort = config.postgresDirect?.listen.port }
        let recorder: SessionRecorder
        let grant: String
        var metadata: [String: JSONValue] = [
            "session": .string(session.id), "resource": .string(resource.name),
            "type": .string(resource.type.rawValue), "actor": .string(principal.displayName),
            "started": .string(Timestamp.format(now)),
        ]
        metadata["origin"] = origin
        do {
            recorder = try SessionRecorder(
                directory: recordingsDirectory, sessionID: session.id, metadata: .object(metadata))
            grant = try await grants.sign(session, clientSecret: credentials?.password)
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
        var details: [String: JSONValue] = [
            "reason": JSONValue(request.reason), "expires_at": .string(Timestamp.format(session.expiresAt)),
            "recording": .string(recorder.url.lastPathComponent),
            "policy_sha256": .string(resource.policyDigest),
        ]
        details["origin"] = origin
        try await auditor.record(
            principal.displayName, .sessionGrant, resource.name, session.id, .allow, .object(details))
        live.start(
            session.id,
            LiveSession(
                recorder: recorder, clientPassword: credentials?.password, recording: session.id,
                shipper: shipper(for: recorder, session: session.id)))
        if resource.allowsDirect, let credentials {
            directLogins.issue(
                credentials.user,
                DirectLoginTable.Login(
                    sessionID: session.id, password: credentials.password, expiresAt: session.expiresAt))
        }
        granted.increment()
        return .granted(session, grant: grant, credentials: credentials)
    }

    static func newSessionID() -> String {
        "ses_" + SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }.hexString.prefix(20)
    }
}

/// The outcome of asking for a session.
enum SessionOpening: Sendable {
    case granted(SessionRecord, grant: String, credentials: SessionCredentials?)
    /// The resource needs approval first; the request is open.
    case pending(ApprovalRecord)
}
