import Foundation
import HTTPTypes
import HoopCore
import Hummingbird
import Logging
import NIOCore
import Testing

@testable import Broker

/// The approver page's defences one by one, without a network: what a hostile page, a planted cookie, a crafted
/// link or a hostile requester's text can do to them.
@Suite("Web page security, unit by unit")
struct WebSecurityUnitTests {
    static let web = WebConfig(
        publicURL: URL(string: "https://broker.example:8443")!, sessionIdle: 60, sessionLifetime: 300)
    static let alice = Principal(
        issuer: "https://idp.example", subject: "alice", email: "alice@example.com", groups: ["dba"])

    static func request(_ method: HTTPRequest.Method = .get, path: String = "/approvals", headers: HTTPFields = [:])
        -> Request
    {
        Request(
            head: HTTPRequest(
                method: method, scheme: "https", authority: "broker.example:8443", path: path, headerFields: headers),
            body: .init(buffer: ByteBuffer()))
    }

    static func cookie(_ value: String) -> HTTPFields { [.cookie: value] }

    static func sessions() throws -> (WebSessions, SQLiteStore) {
        let directory = try TestEnvironment.scratchDirectory("web-sessions")
        let store = try SQLiteStore(path: directory.appendingPathComponent("broker.db"))
        return (WebSessions(config: web, audit: AuditLog(store: store, logger: Logger(label: "test"))), store)
    }

    /// The session id a `begin` response sets.
    static func sessionID(in response: Response) throws -> String {
        let cookies = response.headers[values: .setCookie]
        let set = try #require(cookies.first { $0.hasPrefix(WebCookie.session.rawValue + "=") })
        return String(set.dropFirst(WebCookie.session.rawValue.count + 1).prefix { $0 != ";" })
    }

    @Test("the session cookie is __Host-, Secure, HttpOnly, SameSite=Lax, whole-origin, and its id is 256 random bits")
    func cookieFlags() async throws {
        let (sessions, _) = try Self.sessions()
        let response = try await sessions.begin(Self.alice, via: .oidc, next: "/approvals/7", replacing: Self.request())
        #expect(response.status == .seeOther)
        #expect(response.headers[.location] == "/approvals/7")
        let set = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("__Host-hoop-session=") })
        let attributes = Set(set.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(attributes.isSuperset(of: ["Path=/", "Secure", "HttpOnly", "SameSite=Lax"]))
        #expect(!attributes.contains { $0.lowercased().hasPrefix("domain") })
        let id = try Self.sessionID(in: response)
        #expect(id.count == 43 && Base64URL.decode(Substring(id))?.count == 32)
        let other = try Self.sessionID(
            in: try await sessions.begin(Self.alice, via: .oidc, next: nil, replacing: Self.request()))
        #expect(other != id)
    }

    @Test("a session ends after the idle limit, and after the absolute lifetime however busy it is")
    func expiry() async throws {
        let (sessions, _) = try Self.sessions()
        let start = Date()
        let id = try Self.sessionID(
            in: try await sessions.begin(Self.alice, via: .oidc, next: nil, replacing: Self.request(), now: start))
        let withCookie = Self.request(headers: Self.cookie("__Host-hoop-session=\(id)"))
        #expect(sessions.current(withCookie, now: start.addingTimeInterval(59))?.principal == Self.alice)
        // Used every 50 s: never idle, but the lifetime (300 s) still ends it.
        for step in 2...5 {
            #expect(sessions.current(withCookie, now: start.addingTimeInterval(Double(step) * 50)) != nil)
        }
        #expect(sessions.current(withCookie, now: start.addingTimeInterval(301)) == nil)
        #expect(sessions.count == 0, "an expired session is dropped, not kept")

        let idle = try Self.sessionID(
            in: try await sessions.begin(Self.alice, via: .oidc, next: nil, replacing: Self.request(), now: start))
        let idleCookie = Self.request(headers: Self.cookie("__Host-hoop-session=\(idle)"))
        #expect(sessions.current(idleCookie, now: start.addingTimeInterval(61)) == nil)
    }

    @Test("session fixation: an id planted before the login is dropped, and the login issues a new one")
    func fixation() async throws {
        let (sessions, _) = try Self.sessions()
        let attackerID = try Self.sessionID(
            in: try await sessions.begin(
                Principal(issuer: "https://idp.example", subject: "mallory", email: nil, groups: ["dba"]), via: .oidc,
                next: nil, replacing: Self.request()))
        // The victim's browser carries the attacker's session cookie when the victim logs in.
        let planted = Self.request(headers: Self.cookie("__Host-hoop-session=\(attackerID)"))
        let victimID = try Self.sessionID(
            in: try await sessions.begin(Self.alice, via: .oidc, next: nil, replacing: planted))
        #expect(victimID != attackerID)
        #expect(sessions.current(planted) == nil, "the planted session is gone")
        let victim = Self.request(headers: Self.cookie("__Host-hoop-session=\(victimID)"))
        #expect(sessions.current(victim)?.principal == Self.alice)
        // A made-up id finds nothing; a duplicated cookie is not trusted either way round.
        #expect(
            sessions.current(Self.request(headers: Self.cookie("__Host-hoop-session=\(RandomSecret.random())"))) == nil)
        let doubled = Self.request(headers: Self.cookie("__Host-hoop-session=\(victimID); __Host-hoop-session=x"))
        #expect(sessions.current(doubled) == nil)
    }

    @Test("logins are audited with the method, and logout ends the session")
    func auditAndLogout() async throws {
        let (sessions, store) = try Self.sessions()
        let id = try Self.sessionID(
            in: try await sessions.begin(Self.alice, via: .oidc, next: nil, replacing: Self.request()))
        let request = Self.request(headers: Self.cookie("__Host-hoop-session=\(id)"))
        let session = try #require(sessions.current(request))
        try await sessions.end(session)
        #expect(sessions.current(request) == nil)
        let events = try await store.auditEvents(from: 1, limit: 10)
        #expect(events.map(\.action) == ["web.login", "web.logout"])
        #expect(events.first?.details["method"] == "oidc")
        #expect(events.first?.details["subject"] == "alice")
        #expect(!String(describing: events).contains(id), "the audit trail never holds a usable session id")
    }

    @Test(
        "open redirect: next is followed only to a path on the page",
        arguments: [
            "https://evil.example/", "//evil.example/x", "/\\evil.example", "/\t/evil.example", "http:/evil",
            "javascript:alert(1)", "", "approvals", "/a b", "/\r\nSet-Cookie: x=1",
        ])
    func openRedirect(next: String) {
        #expect(WebNextPath.safe(next) == WebNextPath.fallback)
    }

    @Test("a local next path survives the login untouched")
    func localNext() {
        #expect(WebNextPath.safe("/approvals/12?decided=approve") == "/approvals/12?decided=approve")
        #expect(WebNextPath.safe("/sessions/abc/replay") == "/sessions/abc/replay")
        #expect(WebNextPath.safe(nil) == "/approvals")
    }

    @Test("cross-origin POSTs are refused by Origin, or by Referer when there is no Origin")
    func originCheck() throws {
        let guardian = WebFormGuard(origin: Self.web.origin)
        try guardian.checkOrigin(Self.request(.post, headers: [.origin: "https://broker.example:8443"]))
        try guardian.checkOrigin(Self.request(.post, headers: [.referer: "https://broker.example:8443/approvals/3"]))
        for headers: HTTPFields in [
            [.origin: "https://evil.example"], [.origin: "https://broker.example:8443.evil.example"],
            [.origin: "null"], [.origin: "http://broker.example:8443"],
            [.referer: "https://broker.example:8443.evil.example/"],
            [.referer: "https://evil.example/https://broker.example:8443/"],
            // A hostile Origin is not excused by a friendly Referer.
            [.origin: "https://evil.example", .referer: "https://broker.example:8443/approvals"],
        ] {
            #expect(throws: WebFormGuard.Refusal.self) {
                try guardian.checkOrigin(Self.request(.post, headers: headers))
            }
        }
        #expect(throws: WebFormGuard.Refusal.noOrigin) { try guardian.checkOrigin(Self.request(.post)) }
    }

    @Test("CSRF: a missing, wrong or other session's token is refused")
    func csrfTokens() async throws {
        let (sessions, _) = try Self.sessions()
        let mine = try Self.sessionID(
            in: try await sessions.begin(Self.alice, via: .oidc, next: nil, replacing: Self.request()))
        let theirs = try Self.sessionID(
            in: try await sessions.begin(
                Principal(issuer: "https://idp.example", subject: "mallory", email: nil, groups: ["dba"]), via: .oidc,
                next: nil, replacing: Self.request()))
        let session = try #require(sessions.current(Self.request(headers: Self.cookie("__Host-hoop-session=\(mine)"))))
        let other = try #require(sessions.current(Self.request(headers: Self.cookie("__Host-hoop-session=\(theirs)"))))
        let guardian = WebFormGuard(origin: Self.web.origin)
        try guardian.checkToken(session.csrfToken, session: session)
        for presented in [
            nil, "", other.csrfToken, String(session.csrfToken.dropLast()), session.csrfToken + "A", mine,
        ] {
            #expect(throws: WebFormGuard.Refusal.csrfMismatch) { try guardian.checkToken(presented, session: session) }
        }
    }

    @Test("HTML in a statement, reason, comment or name is rendered as text")
    func htmlInjection() throws {
        let payload = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
        let approval = ApprovalInfo(
            id: 5, kind: .statement, status: .pending, requester: "eve\(payload)", resource: "pg", session: nil,
            statement: "DROP TABLE t; -- \(payload)", statementSHA256: nil, reason: "because \(payload)", rule: "ddl",
            approverGroups: ["dba"], minApprovals: 1,
            decisions: [ApprovalDecisionInfo(approver: "bob", approve: false, reason: "no \(payload)", at: Date())],
            createdAt: Date(), expiresAt: Date().addingTimeInterval(60))
        let view = WebApprovalView(
            approval, csrf: "token\"><script>", history: [WebApprovalCard(approval)], sessions: [],
            notice: nil, error: "refused \(payload)", now: Date())
        let html = WebPage.html(.approval, view, title: "Approval #5 \(payload)", chrome: nil)
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("onerror=alert(2)>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("DROP TABLE t; -- &lt;script&gt;"))
        #expect(html.contains("&quot;&#39;&amp;"))
        #expect(html.contains("value=\"token&quot;&gt;&lt;script&gt;\""))
    }

    @Test("every page carries a strict CSP, framing denial and no-store")
    func pageHeaders() {
        let response = WebPage.problem("x", "y", chrome: nil, status: .ok)
        let csp = response.headers[.contentSecurityPolicy] ?? ""
        #expect(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"))
        #expect(csp.contains("style-src 'self'") && !csp.contains("unsafe-inline") && !csp.contains("script-src"))
        #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
        #expect(response.headers[.cacheControl] == "no-store")
        for template in WebTemplate.allCases {
            #expect(!template.text.contains("<script") && !template.text.contains("style="), "\(template)")
        }
    }

    @Test("the SAML login result page, logged in or refused, can be neither framed, sniffed nor cached")
    func loginResultPage() {
        let hostile = "<img src=x onerror=alert(1)>"
        let pages = [
            LoginResultPage.loggedIn(
                Principal(issuer: "https://idp.example", subject: hostile, email: nil, groups: []), code: "BCDF-GHJK"),
            LoginResultPage.refused(
                BrokerError(.unauthenticated, code: "saml_issuer_mismatch", message: "the Issuer is \(hostile)")),
        ]
        for page in pages {
            #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            #expect(page.headers[.cacheControl] == "no-store")
            let csp = page.headers[.contentSecurityPolicy] ?? ""
            #expect(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"))
            #expect(page.headers[values: .contentSecurityPolicy].count == 1)
        }
    }

    @Test("PKCE S256 matches RFC 7636 appendix B, and every verifier is fresh")
    func pkce() {
        let vector = PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        #expect(vector.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE().verifier != PKCE().verifier)
    }

    @Test("a login state is good once, for the browser whose cookie names it, for ten minutes")
    func pendingLogins() throws {
        let logins = WebPendingLogins()
        let endpoints = OIDCWebEndpoints(
            issuer: "https://idp.example", authorizationEndpoint: "https://idp.example/authorize",
            tokenEndpoint: "https://idp.example/token")
        let started = Date()
        func login() -> WebPendingLogins.Login {
            WebPendingLogins.Login(
                issuer: "https://idp.example", clientID: "web", endpoints: endpoints, nonce: "n", pkce: PKCE(),
                next: "/approvals", startedAt: started)
        }
        let state = logins.add(login())
        #expect(logins.take(state: state, cookie: nil) == nil, "no login cookie: another browser")
        #expect(logins.take(state: state, cookie: RandomSecret.random()) == nil, "another login's cookie")
        #expect(logins.take(state: RandomSecret.random(), cookie: state) == nil, "a forged state")
        #expect(logins.take(state: state, cookie: state) != nil)
        #expect(logins.take(state: state, cookie: state) == nil, "a state is used once")
        let late = logins.add(login())
        #expect(logins.take(state: late, cookie: late, now: started.addingTimeInterval(601)) == nil)
    }

    @Test("web: config is validated: https origin only, sane lifetimes")
    func config() throws {
        func parse(_ web: String) throws(ConfigError) -> BrokerConfig {
            try ConfigLoader.parse(
                yaml: """
                    identity:
                      - issuer: https://idp.example
                        audience: hoop
                        web_client_id: hoop-web
                    \(web)
                    """, relativeTo: URL(fileURLWithPath: "/tmp"))
        }
        let config = try parse("web: { public_url: 'https://broker.example:8443', session_idle: 10m }")
        #expect(config.web?.origin == "https://broker.example:8443")
        #expect(config.web?.sessionIdle == 600)
        #expect(config.web?.sessionLifetime == WebConfig.defaultSessionLifetime)
        #expect(config.identity.first?.webClientID == "hoop-web")
        #expect(try parse("").web == nil)
        for bad in [
            "web: { public_url: 'http://broker.example' }", "web: { public_url: 'https://broker.example/hoop' }",
            "web: { public_url: 'https://broker.example/?x=1' }", "web: {}",
            "web: { public_url: 'https://b.example', session_idle: 2h, session_lifetime: 1h }",
            "web: { public_url: 'https://b.example', colour: blue }",
        ] {
            #expect(throws: ConfigError.self, "\(bad)") { try parse(bad) }
        }
    }

    @Test("a webhook message for a new request links its page when the broker serves one")
    func webhookLink() {
        let record = ApprovalRecord(
            id: 7, kind: .statement, status: .pending, requesterIssuer: "https://idp.example", requesterSubject: "bot",
            requesterName: "bot", resource: "pg", session: nil, statement: "DROP TABLE t", statementSHA256: nil,
            reason: nil, rule: "ddl", approverGroups: ["dba"], minApprovals: 1, decisions: [], createdAt: Date(),
            expiresAt: Date(), version: 1)
        let page = ApprovalNotifier.pageURL(Self.web, 7)
        #expect(page == "https://broker.example:8443/approvals/7")
        #expect(ApprovalNotifier.summary(.requested, record, page: page).hasSuffix(" · Open: \(page)"))
        #expect(!ApprovalNotifier.summary(.requested, record).contains("Open:"))
    }
}
