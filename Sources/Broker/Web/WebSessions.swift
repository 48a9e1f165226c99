import Foundation
import HTTPTypes
import HoopCore
import Hummingbird
import Synchronization

/// The page's server-side sessions, and the one place a login becomes a session.
///
/// Every login method (OIDC now, SAML later) verifies who the person is in its own way and then calls `begin`,
/// which audits the login, issues a fresh session id in the `__Host-hoop-session` cookie, drops any session the
/// browser came with (so an id planted before the login is worthless: no session fixation) and redirects to a
/// safe local `next`. Requests find their session with `current`, which enforces the idle and absolute limits.
final class WebSessions: Sendable {
    /// More live sessions than this, and the oldest are dropped: memory stays bounded whatever logs in.
    static let largestTable = 10_000

    let config: WebConfig
    private let audit: AuditLog
    private let table = Mutex<[String: WebSession]>([:])

    init(config: WebConfig, audit: AuditLog) {
        self.config = config
        self.audit = audit
    }

    /// Starts a session for `principal`, who has just been verified by `method`, and answers the browser with the
    /// cookie and a redirect to `next` (checked by `WebNextPath`). The login is audited before it takes effect.
    func begin(
        _ principal: Principal, via method: WebLoginMethod, next: String?, replacing request: Request,
        now: Date = Date()
    ) async throws(BrokerError) -> Response {
        let session = WebSession(
            id: RandomSecret.random(), principal: principal, method: method, csrfToken: RandomSecret.random(),
            createdAt: now, lastSeen: now)
        do {
            try await audit.record(
                AuditDraft(
                    actor: principal.displayName, action: .webLogin, decision: .allow,
                    details: [
                        "method": .string(method.rawValue), "issuer": .string(principal.issuer),
                        "subject": .string(principal.subject), "groups": .array(principal.groups.map { .string($0) }),
                        "web_session_sha256": .string(Self.digest(session.id)),
                    ]),
                at: now)
        } catch {
            throw .auditUnavailable(error)
        }
        let previous = WebCookie.session.value(in: request)
        table.withLock { table in
            if let previous { table[previous] = nil }
            if table.count >= Self.largestTable {
                table = table.filter { $0.value.isLive(at: now, config: config) }
                while table.count >= Self.largestTable,
                    let oldest = table.min(by: { $0.value.createdAt < $1.value.createdAt })
                {
                    table[oldest.key] = nil
                }
            }
            table[session.id] = session
        }
        var headers = WebPage.securityHeaders
        headers[.location] = WebNextPath.safe(next)
        headers.append(
            HTTPField(
                name: .setCookie, value: WebCookie.session.setting(session.id, maxAge: Int(config.sessionLifetime))))
        headers.append(HTTPField(name: .setCookie, value: WebCookie.login.clear))
        return Response(status: .seeOther, headers: headers)
    }

    /// The request's live session, touched; nil without a cookie, for an unknown id, or past either limit.
    func current(_ request: Request, now: Date = Date()) -> WebSession? {
        guard let id = WebCookie.session.value(in: request) else { return nil }
        return table.withLock { table in
            guard var session = table[id] else { return nil }
            guard session.isLive(at: now, config: config) else {
                table[id] = nil
                return nil
            }
            session.lastSeen = now
            table[id] = session
            return session
        }
    }

    /// Ends `session` (logout); audited.
    func end(_ session: WebSession, now: Date = Date()) async throws(BrokerError) {
        _ = table.withLock { $0.removeValue(forKey: session.id) }
        do {
            try await audit.record(
                AuditDraft(
                    actor: session.principal.displayName, action: .webLogout, decision: .info,
                    details: ["web_session_sha256": .string(Self.digest(session.id))]),
                at: now)
        } catch {
            throw .auditUnavailable(error)
        }
    }

    /// How many sessions are held (tests check the table is bounded and emptied).
    var count: Int { table.withLock { $0.count } }

    /// The audit trail names a session by a digest prefix: enough to correlate login and logout, useless as a
    /// cookie.
    static func digest(_ id: String) -> String {
        String(ApprovalService.digest(id).prefix(16))
    }
}
