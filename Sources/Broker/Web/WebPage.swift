import HTTPTypes
import HoopCore
import Hummingbird
import Mustache
import NIOCore

/// Renders a template into a complete response with the headers every page carries.
enum WebPage {
    /// No script may run, styles come only from the page's own stylesheet, forms post only to the page, and no
    /// other site may frame it (clickjacking an Approve button): `frame-ancestors` for current browsers,
    /// `X-Frame-Options` for older ones. Pages hold approval details, so nothing is cached or sent as a referrer
    /// to another site.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        + "base-uri 'none'"

    static var securityHeaders: HTTPFields {
        [
            .contentSecurityPolicy: contentSecurityPolicy,
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "same-origin",
            .cacheControl: "no-store",
        ]
    }

    /// The layout around `template` rendered with `view`; `chrome` names who is logged in (nil on the login page).
    static func render(
        _ template: WebTemplate, _ view: Any, title: String, chrome: WebChrome?, status: HTTPResponse.Status = .ok
    ) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        let page = html(template, view, title: title, chrome: chrome)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    /// The page's HTML: `template` with `view`, inside the layout.
    static func html(_ template: WebTemplate, _ view: Any, title: String, chrome: WebChrome?) -> String {
        let body = WebTemplate.library.render(view, withTemplate: template.rawValue) ?? ""
        return WebTemplate.library.render(
            WebLayoutView(title: title, who: chrome?.who, csrf: chrome?.csrf ?? "", body: body),
            withTemplate: WebTemplate.layout.rawValue) ?? ""
    }

    /// A page that says what went wrong, in the same layout.
    static func problem(_ heading: String, _ message: String, chrome: WebChrome?, status: HTTPResponse.Status)
        -> Response
    {
        render(
            .problem, WebProblemView(heading: heading, message: message), title: heading, chrome: chrome, status: status
        )
    }

    /// A redirect after a POST or to a login (303: the browser follows with a GET).
    static func redirect(to location: String) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }
}

/// Who is logged in, for the header of every page, and the CSRF token its logout form carries.
struct WebChrome: Sendable {
    var who: String
    var csrf: String

    init(_ session: WebSession) {
        who = "\(session.principal.displayName) (\(session.principal.groups.joined(separator: ", ")))"
        csrf = session.csrfToken
    }
}

struct WebLayoutView {
    var title: String
    var who: String?
    var csrf: String
    var body: String
}

struct WebProblemView {
    var heading: String
    var message: String
}
