import Crypto
import Foundation
import HTTPTypes
import HoopCore
import Hummingbird
import NIOCore

/// The SAML service provider's endpoints: the JSON calls `hoopctl login --saml` makes (start, poll), the Assertion
/// Consumer Service the IdP posts the browser to, and the SP metadata an operator registers at the IdP.
struct SAMLRoutes: Sendable {
    let login: SAMLLogin
    /// Turns a verified browser login into a page session (the approver page's seam); nil when the broker serves
    /// no pages, and then a web-page flow cannot have been started.
    let pageSessions: (@Sendable (Principal, String, Request) async throws -> Response)?

    /// The most a posted SAMLResponse form may carry; real ones are a few KiB.
    static let maximumFormSize = 512 * 1024

    func register(on router: Router<BrokerRequestContext>) {
        router.post(RouterPath(APIPath.samlLogin)) { request, context in
            let body = try await request.decodeJSON(SAMLLoginRequest.self)
            let start = try await apiCall { () async throws(BrokerError) in
                try await login.start(provider: body.provider, purpose: .client, source: context.sourceAddress)
            }
            return JSONReply(value: start)
        }
        router.post(RouterPath(APIPath.samlToken)) { request, _ in
            let body = try await request.decodeJSON(SAMLTokenRequest.self)
            return JSONReply(
                value: try await apiCall { () throws(BrokerError) in try login.poll(body) })
        }
        if pageSessions != nil {
            router.get(RouterPath(Self.pageLoginPath)) { request, context in
                try await startPageLogin(request, source: context.sourceAddress)
            }
        }
        router.post(RouterPath(SAMLProviderConfig.assertionConsumerPath)) { request, context in
            try await consume(request, context: context)
        }
        router.get(RouterPath(APIPath.samlMetadata)) { request, _ in
            let provider = try await apiCall { () throws(BrokerError) in
                try login.provider(named: request.uri.queryParameters.get("provider"))
            }
            return Response(
                status: .ok, headers: [.contentType: "application/samlmetadata+xml"],
                body: .init(byteBuffer: ByteBuffer(string: SAMLServiceProviderMetadata.xml(for: provider.config))))
        }
    }

    /// `GET ?provider=NAME&next=/path`: a browser logging in to the broker's pages through a SAML provider.
    static let pageLoginPath = "/saml/login"

    /// Sends the browser to the IdP with a page-login flow that returns it to `next` (a path on this broker only).
    private func startPageLogin(_ request: Request, source: String) async throws -> Response {
        let query = request.uri.queryParameters
        let next = WebNextPath.safe(query.get("next"))
        let binding = RandomSecret.random()
        let start: SAMLLoginStart
        do {
            start = try await login.start(
                provider: query.get("provider"),
                purpose: .webPage(next: next, browser: SHA256.hash(data: Array(binding.utf8))), source: source)
        } catch {
            return LoginResultPage.refused(error)
        }
        return Response(
            status: .seeOther,
            headers: [
                .location: start.loginURL, .cacheControl: "no-store",
                .setCookie: WebCookie.samlLogin.setting(binding, maxAge: Int(SAMLLoginFlows.lifetime)),
            ])
    }

    /// The ACS: an HTTP-POST binding form with `SAMLResponse` and `RelayState`.
    private func consume(_ request: Request, context: BrokerRequestContext) async throws -> Response {
        let buffer = try await request.body.collect(upTo: Self.maximumFormSize)
        let form = String(buffer: buffer)
        guard let fields = Self.formFields(form) else {
            return LoginResultPage.refused(
                BrokerError(.badRequest, code: "saml_form_repeated", message: "the form names a field twice"))
        }
        guard let response = fields["SAMLResponse"], let relayState = fields["RelayState"] else {
            return LoginResultPage.refused(
                BrokerError(
                    .badRequest, code: "saml_form_incomplete",
                    message: "the form needs SAMLResponse and RelayState (HTTP-POST binding)"))
        }
        let outcome = await login.consume(
            response: response, relayState: relayState, browserBinding: WebCookie.samlLogin.value(in: request),
            source: context.sourceAddress)
        switch outcome {
        case .client(let principal, let code):
            return LoginResultPage.loggedIn(principal, code: code)
        case .webPage(let principal, let next):
            guard let pageSessions else {
                return LoginResultPage.refused(
                    BrokerError(.notFound, code: "pages_disabled", message: "this broker serves no pages"))
            }
            var response = try await pageSessions(principal, next, request)
            response.headers.append(HTTPField(name: .setCookie, value: WebCookie.samlLogin.clear))
            return response
        case .refused(let error):
            return LoginResultPage.refused(error)
        }
    }

    /// `application/x-www-form-urlencoded` fields, or nil when a name repeats: which of two SAMLResponse values
    /// counts is exactly the kind of question an attacker likes to be asked.
    static func formFields(_ form: String) -> [String: String]? {
        var fields: [String: String] = [:]
        for pair in form.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let name = decode(parts[0]), let value = decode(parts.count == 2 ? parts[1] : "") else { continue }
            guard fields.updateValue(value, forKey: name) == nil else { return nil }
        }
        return fields
    }
}
