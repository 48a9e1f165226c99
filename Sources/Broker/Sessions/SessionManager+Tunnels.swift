import Foundation
import HoopCore
import Logging
import NIOCore

// MARK: Tunnels

extension SessionManager {
    /// Admits a tunnel for a grant: the signature must verify and the session must still be active and unexpired.
    func admit(grant: String, now: Date = Date()) async throws(BrokerError) -> AdmittedTunnel {
        if let refusal = evidenceGate.refusal {
            try await auditor.record("broker", .tunnelDeny, nil, nil, .deny, ["reason": "evidence_unwitnessed"])
            throw .evidenceUnwitnessed(refusal)
        }
        guard let claims = await grants.verify(grant) else {
            try await auditor.record("anonymous", .tunnelDeny, nil, nil, .deny, ["reason": "invalid_grant"])
            throw BrokerError(
                .unauthenticated,
                code: "invalid_grant",
                message: "the session grant is invalid or expired",
                hint: "run `hoopctl connect` again to open a new session"
            )
        }
        let joining = SessionJoin(clientSecret: grants.clientSecret(of: claims))
        switch try await activeSession(claims.sessionID, now: now, joining: joining) {
        case .admitted(let tunnel) where tunnel.session.resource == claims.resource:
            return tunnel
        case .admitted:
            try await deny(claims, status: "active")
        case .inactive(let stored):
            try await deny(claims, status: stored?.status.rawValue ?? "missing")
        }
    }

    private func deny(_ claims: GrantClaims, status: String) async throws(BrokerError) -> Never {
        try await auditor.record(
            claims.principalSubject, .tunnelDeny, claims.resource, claims.sessionID, .deny,
            ["reason": .string("session_\(status)")]
        )
        throw BrokerError(
            .forbidden,
            code: "session_ended",
            message: "session \(claims.sessionID) is no longer active",
            hint: "run `hoopctl connect` again to open a new session"
        )
    }

    /// The admission facts of a session that is active, unexpired and live on this broker — whatever proved the
    /// client's right to it (a tunnel grant, a direct login) — or, when it is not, what the store holds of it.
    /// With `joining` (a verified grant), a session another broker of the deployment granted becomes live here too,
    /// with a recording segment of its own (`+Deployment`).
    func activeSession(_ id: String, now: Date, joining: SessionJoin? = nil) async throws(BrokerError)
        -> SessionAdmission
    {
        let stored: SessionRecord?
        do {
            stored = try await store.session(id: id)
        } catch {
            throw .storeUnavailable(error, logger: logger)
        }
        guard let session = stored, session.status == .active, session.expiresAt > now,
            let resource = config.resource(named: session.resource)
        else {
            return .inactive(stored)
        }
        let current: LiveSession
        if let entry = live.entry(session.id) {
            current = entry
        } else if let joining, deployment.shared {
            current = try await join(session, joining, now: now)
        } else {
            return .inactive(stored)
        }
        return .admitted(
            AdmittedTunnel(
                session: session,
                resource: resource,
                recorder: current.recorder,
                clientPassword: current.clientPassword,
                approvals: approvals
            ))
    }

    /// Tracks a live channel so ending the session closes it. Returns false if the session already ended.
    func attach(_ channel: any Channel, to sessionID: String) -> Bool {
        live.attach(channel, to: sessionID)
    }

    func detach(_ channel: any Channel, from sessionID: String) {
        live.detach(channel, from: sessionID)
    }

    /// Audits a tunnel connection event on behalf of the session's principal.
    func recordConnection(
        _ action: AuditAction, _ tunnel: AdmittedTunnel, _ decision: AuditDecision, _ details: JSONValue
    )
        async throws(BrokerError)
    {
        let session = tunnel.session
        try await auditor.record(
            session.email ?? session.subject, action, session.resource, session.id, decision, details)
    }

    func addTraffic(_ sessionID: String, bytesUp: Int, bytesDown: Int) async {
        do {
            try await store.addTraffic(sessionID: sessionID, connections: 1, bytesUp: bytesUp, bytesDown: bytesDown)
        } catch {
            logger.error("cannot update session traffic", metadata: ["session": "\(sessionID)", "error": "\(error)"])
        }
    }
}

/// Whether a session can take a new connection.
enum SessionAdmission: Sendable {
    case admitted(AdmittedTunnel)
    /// Ended, expired, not live here, or (nil) not in the store.
    case inactive(SessionRecord?)
}
