import Foundation
import HoopCore

// MARK: Direct logins

extension SessionManager {
    /// Admits a direct-mode connection by its per-session login: the name finds the session, the password (compared
    /// in constant time, against a decoy when the name is unknown) proves it, and then the session must pass the
    /// same check a tunnel grant's does. Refusals are not audited here: the caller counts them per source first.
    func admit(directUser user: String, password: String, now: Date = Date()) async throws(DirectLoginRefusal)
        -> AdmittedTunnel
    {
        if evidenceGate.refusal != nil { throw DirectLoginRefusal(.evidenceUnwitnessed) }
        guard user != SessionPassword.user else { throw DirectLoginRefusal(.loopbackLogin) }
        let login = directLogins.login(user)
        let matches = SessionPassword.matches(password, login?.password ?? DirectLoginTable.decoy)
        guard let login else { throw DirectLoginRefusal(.unknownLogin) }
        let admission = try await directAdmission(login.sessionID, now: now)
        guard matches else {
            throw DirectLoginRefusal(.wrongPassword, session: admission.record)
        }
        switch admission {
        case .inactive(let stored):
            throw DirectLoginRefusal(.sessionEnded(stored?.status(at: now)), session: stored, passwordMatched: true)
        case .admitted(var tunnel):
            guard tunnel.resource.allowsDirect else {
                throw DirectLoginRefusal(.resourceNotDirect, session: tunnel.session, passwordMatched: true)
            }
            tunnel.entry = .postgresDirect
            return tunnel
        }
    }

    /// Admits a CancelRequest whose key belongs to `sessionID`: the key is the credential (the engine checks it
    /// again against the session), so the session only has to be active.
    func admit(cancelFor sessionID: String, now: Date = Date()) async throws(DirectLoginRefusal) -> AdmittedTunnel {
        if evidenceGate.refusal != nil { throw DirectLoginRefusal(.evidenceUnwitnessed) }
        switch try await directAdmission(sessionID, now: now) {
        case .inactive(let stored):
            throw DirectLoginRefusal(.sessionEnded(stored?.status(at: now)), session: stored)
        case .admitted(var tunnel):
            guard tunnel.resource.allowsDirect else {
                throw DirectLoginRefusal(.resourceNotDirect, session: tunnel.session)
            }
            tunnel.entry = .postgresDirect
            return tunnel
        }
    }

    /// Audits a refused direct connection as `tunnel.deny`, with the reason and the client's address.
    func recordDirectDenial(_ refusal: DirectLoginRefusal, source: String, user: String?) async throws(BrokerError) {
        var details: [String: JSONValue] = [
            "reason": .string(refusal.reason.code), "source": .string(source), "listener": "postgres_direct",
        ]
        // The presented name, cut to PostgreSQL's own limit, so a hostile client cannot fill the log with it.
        if let user { details["user"] = .string(String(user.utf8.prefix(63)) ?? "") }
        let session = refusal.session
        let actor = refusal.passwordMatched ? session.map { $0.email ?? $0.subject } ?? "anonymous" : "anonymous"
        try await auditor.record(actor, .tunnelDeny, session?.resource, session?.id, .deny, .object(details))
    }

    /// Forgets the direct logins of sessions long expired (`DirectLoginTable.retention`).
    func pruneDirectLogins(now: Date) {
        directLogins.prune(now: now)
    }

    private func directAdmission(_ sessionID: String, now: Date) async throws(DirectLoginRefusal) -> SessionAdmission {
        do {
            return try await activeSession(sessionID, now: now)
        } catch {
            throw DirectLoginRefusal(.brokerFailure(error))
        }
    }
}

extension SessionRecord {
    /// The status as of `now`: a session past its expiry is expired even before the sweeper records it so.
    fileprivate func status(at now: Date) -> SessionStatus {
        status == .active && expiresAt <= now ? .expired : status
    }
}

extension SessionAdmission {
    /// The stored session, admitted or not.
    var record: SessionRecord? {
        switch self {
        case .admitted(let tunnel): tunnel.session
        case .inactive(let stored): stored
        }
    }
}
