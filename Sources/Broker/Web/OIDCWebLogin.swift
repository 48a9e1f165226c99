import AsyncHTTPClient
import Foundation
import HTTPTypes
import HoopCore
import Hummingbird

/// The page's OpenID Connect login: authorization code with PKCE S256, `state` bound to the browser by a cookie,
/// and a nonce checked in the ID token. The identity is the access token, verified by the broker's
/// `Authenticator` exactly as on the API (same issuers, algorithms, audience, audit and rejection limits); a login
/// that passes every check becomes a web session through `WebSessions.begin`. The callback answers anyone, so its
/// refusals are held to account per source by the broker's `TokenRejectionLimiter`, like rejected API tokens: a
/// flood of forged callbacks costs a few audit events a minute, then is throttled, instead of one event each.
struct OIDCWebLogin: Sendable {
    static let startPath = "/login/oidc"
    static let callbackPath = "/login/callback"

    let config: BrokerConfig
    let web: WebConfig
    let authenticator: Authenticator
    let verifier: TokenVerifier
    let sessions: WebSessions
    let pending: WebPendingLogins
    let audit: AuditLog
    let limiter: TokenRejectionLimiter
    let httpClient: HTTPClient

    var redirectURI: String { web.url(Self.callbackPath) }

    /// One login option per issuer that has a web client.
    var options: [WebLoginOption] {
        config.identity.compactMap { provider in
            guard provider.webClientID != nil else { return nil }
            let host = URL(string: provider.issuer)?.host ?? provider.issuer
            return WebLoginOption(
                label: "Log in with \(host)",
                path: "\(Self.startPath)?" + WebQuery.string([("issuer", provider.issuer)]))
        }
    }

    func register(
        on router: Router<BrokerRequestContext>, loginPage: @escaping @Sendable (String?, String?) -> Response
    ) {
        router.get(RouterPath(Self.startPath)) { request, _ in
            let query = request.uri.queryParameters
            return try await start(issuer: query.get("issuer"), next: WebNextPath.safe(query.get("next")))
        }
        router.get(RouterPath(Self.callbackPath)) { request, context in
            let query = request.uri.queryParameters
            let login = pending.take(state: query.get("state"), cookie: WebCookie.login.value(in: request))
            let outcome = try await answer(
                login, code: query.get("code"), error: query.get("error"),
                errorDescription: query.get("error_description"), source: context.sourceAddress)
            switch outcome {
            case .failure(let refusal):
                return loginPage(login?.next, refusal.description)
            case .success(let principal):
                return try await apiCall { () async throws(BrokerError) in
                    try await sessions.begin(principal, via: .oidc, next: login?.next, replacing: request)
                }
            }
        }
    }

    /// A callback from `source` for `login` (nil when its state named none this browser started): who logged in,
    /// or why not — refusals counted against the source, audited within its allowance, and a source past it
    /// refused before anything else is done.
    func answer(
        _ login: WebPendingLogins.Login?, code: String?, error: String?, errorDescription: String?, source: String
    ) async throws -> Result<Principal, WebLoginRefusal> {
        do throws(WebLoginRefusal) {
            if case .throttle = limiter.admit(source) { throw .throttled }
            guard let login else { throw .stateMismatch }
            return .success(
                try await callback(login, code: code, error: error, errorDescription: errorDescription, source: source))
        } catch {
            try await refused(error, issuer: login?.issuer, source: source)
            return .failure(error)
        }
    }

    /// The identity a callback proves: the IdP's answer is an error or a code, the code is redeemed with the
    /// login's PKCE verifier, and the tokens pass `finish`.
    func callback(
        _ login: WebPendingLogins.Login, code: String?, error: String?, errorDescription: String?, source: String
    ) async throws(WebLoginRefusal) -> Principal {
        if let error { throw .identityProviderError(error, errorDescription) }
        guard let code, !code.isEmpty else { throw .noCode }
        let tokens: OIDCWebEndpoints.Tokens
        do {
            tokens = try await login.endpoints.redeem(
                code: code, clientID: login.clientID, redirectURI: redirectURI, verifier: login.pkce.verifier,
                client: httpClient)
        } catch {
            throw .tokenExchange("\(error)")
        }
        return try await finish(login, tokens: tokens, source: source)
    }

    /// Starts a login at `issuer`: remembers state, nonce and verifier, sets the login cookie, and sends the
    /// browser to the issuer's authorization endpoint.
    func start(issuer: String?, next: String) async throws -> Response {
        guard let provider = config.identity.first(where: { $0.issuer == issuer }), let clientID = provider.webClientID
        else {
            return WebPage.problem(
                "Unknown login", "No identity provider for the web page is named \(issuer ?? "(none)").", chrome: nil,
                status: .badRequest)
        }
        let endpoints: OIDCWebEndpoints
        do {
            endpoints = try await OIDCWebEndpoints.discover(provider.issuer, client: httpClient)
        } catch {
            return WebPage.problem(
                "Identity provider unavailable", "Cannot reach \(provider.issuer): \(error)", chrome: nil,
                status: .badGateway)
        }
        let login = WebPendingLogins.Login(
            issuer: provider.issuer, clientID: clientID, endpoints: endpoints, nonce: RandomSecret.random(),
            pkce: PKCE(), next: next, startedAt: Date())
        let state = pending.add(login)
        let scopes = provider.scopes.filter { $0 != "offline_access" }
        let query = WebQuery.string([
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI),
            ("scope", (scopes.contains("openid") ? scopes : ["openid"] + scopes).joined(separator: " ")),
            ("state", state), ("nonce", login.nonce), ("code_challenge", login.pkce.challenge),
            ("code_challenge_method", PKCE.method),
        ])
        let separator = endpoints.authorizationEndpoint.contains("?") ? "&" : "?"
        var response = WebPage.redirect(to: endpoints.authorizationEndpoint + separator + query)
        response.headers.append(
            HTTPField(name: .setCookie, value: WebCookie.login.setting(state, maxAge: Int(WebPendingLogins.lifetime))))
        return response
    }

    /// Checks the tokens a login received: the access token as the API would, from the issuer this login went
    /// to, and the ID token's signature, audience and nonce, for the same subject. Returns who logged in.
    func finish(_ login: WebPendingLogins.Login, tokens: OIDCWebEndpoints.Tokens, source: String)
        async throws(WebLoginRefusal) -> Principal
    {
        let principal: Principal
        do {
            principal = try await authenticator.principal(forToken: tokens.accessToken, from: source)
        } catch let error as APIError {
            throw .token(error.error.message)
        } catch {
            throw .token("\(error)")
        }
        guard principal.issuer == login.issuer else { throw .issuerMismatch(principal.issuer, login.issuer) }
        guard let idToken = tokens.idToken else { throw .noIDToken }
        let subject: String
        do {
            subject = try await verifier.verifyIDToken(
                idToken, issuer: login.issuer, clientID: login.clientID, nonce: login.nonce)
        } catch {
            throw .idToken(error)
        }
        guard subject == principal.subject else { throw .subjectMismatch }
        return principal
    }

    private func refused(_ refusal: WebLoginRefusal, issuer: String?, source: String) async throws {
        guard refusal != .throttled, limiter.rejected(source, reason: refusal.code) == .auditNow else { return }
        do {
            try await audit.record(
                AuditDraft(
                    actor: "anonymous", action: .webLoginRefused, decision: .deny,
                    details: [
                        "method": .string(WebLoginMethod.oidc.rawValue), "reason": .string(refusal.code),
                        "message": .string(refusal.description), "issuer": JSONValue(issuer),
                        "source": .string(source),
                    ]))
        } catch {
            throw APIError(.auditUnavailable(error))
        }
    }
}
