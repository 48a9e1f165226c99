import AsyncHTTPClient
import Foundation
import HTTPTypes
import HoopCore
import Hummingbird
import Logging
import NIOCore

/// The approver web page on the broker's own router, beside the JSON API: the login page and its methods, the
/// approvals and session pages, logout, and the stylesheet. Served only when `web.public_url` is configured.
///
/// Other login methods join through two seams: they append a `WebLoginOption` to `loginOptions` (the login page
/// lists them in order) and, once they have verified an identity, call `sessions.begin`.
struct WebRoutes: Sendable {
    static let loginPath = "/login"
    static let logoutPath = "/logout"

    let web: WebConfig
    let sessions: WebSessions
    let loginOptions: [WebLoginOption]
    let oidc: OIDCWebLogin
    let approvalPages: WebApprovalPages
    let sessionPages: WebSessionPages

    init(
        config: BrokerConfig, web: WebConfig, sessions: WebSessions, authenticator: Authenticator,
        verifier: TokenVerifier, approvals: ApprovalService, evidence: EvidenceService, store: any Store,
        audit: AuditLog, limiter: TokenRejectionLimiter, extraLoginOptions: [WebLoginOption] = [],
        httpClient: HTTPClient = IdentityFetchPolicy.client, logger: Logger
    ) {
        self.web = web
        self.sessions = sessions
        oidc = OIDCWebLogin(
            config: config, web: web, authenticator: authenticator, verifier: verifier, sessions: sessions,
            pending: WebPendingLogins(), audit: audit, limiter: limiter, httpClient: httpClient)
        loginOptions = oidc.options + extraLoginOptions
        let guardian = WebFormGuard(origin: web.origin)
        approvalPages = WebApprovalPages(
            approvals: approvals, store: store, sessions: sessions, guardian: guardian, logger: logger)
        sessionPages = WebSessionPages(
            config: config, evidence: evidence, store: store, sessions: sessions, logger: logger)
    }

    func register(on router: Router<BrokerRequestContext>) {
        router.get(RouterPath(WebStylesheet.path)) { _, _ in
            var headers = WebPage.securityHeaders
            headers[.contentType] = "text/css; charset=utf-8"
            headers[.cacheControl] = "max-age=3600"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: WebStylesheet.text)))
        }
        router.get(RouterPath(Self.loginPath)) { request, _ in
            loginPage(next: request.uri.queryParameters.get("next"), error: nil)
        }
        router.post(RouterPath(Self.logoutPath)) { request, _ in
            guard let session = sessions.current(request) else { return Self.toLogin(request) }
            struct LogoutForm: Decodable { var csrf: String? }
            do {
                let form = try await WebFormGuard(origin: web.origin).form(LogoutForm.self, from: request)
                try WebFormGuard(origin: web.origin).checkToken(form.csrf, session: session)
            } catch {
                return Self.refused(error, session: session)
            }
            try await apiCall { () async throws(BrokerError) in try await sessions.end(session) }
            var response = WebPage.redirect(to: Self.loginPath)
            response.headers.append(HTTPField(name: .setCookie, value: WebCookie.session.clear))
            return response
        }
        oidc.register(on: router) { next, error in loginPage(next: next, error: error) }
        approvalPages.register(on: router)
        sessionPages.register(on: router)
    }

    /// The login page: one button per login option, each carrying where to go afterwards.
    func loginPage(next: String?, error: String?) -> Response {
        let next = WebNextPath.safe(next)
        let view = WebLoginView(
            error: error, options: loginOptions.map { WebLoginView.Option(label: $0.label, href: $0.href(next: next)) })
        return WebPage.render(.login, view, title: "Log in", chrome: nil, status: error == nil ? .ok : .unauthorized)
    }

    /// A page asked for without a live session: to the login page, coming back here afterwards.
    static func toLogin(_ request: Request) -> Response {
        let here = request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
        return WebPage.redirect(to: loginPath + "?next=" + WebQuery.encode(WebNextPath.safe(here)))
    }

    static func notFound(_ session: WebSession) -> Response {
        WebPage.problem(
            "Not found", "There is nothing here you can see.", chrome: WebChrome(session), status: .notFound)
    }

    /// A POST that failed the origin or CSRF check: nothing was done, and the page says why.
    static func refused(_ error: any Error, session: WebSession) -> Response {
        let message = (error as? WebFormGuard.Refusal)?.description ?? "the form could not be read: \(error)"
        return WebPage.problem("Refused", message, chrome: WebChrome(session), status: .forbidden)
    }
}
