import HTTPTypes
import HoopCore
import Hummingbird
import NIOCore

/// The page a browser sees at the end of a `hoopctl login --saml`: done (go back to the terminal) or refused, with
/// the reason. Static markup, no script, and a CSP that allows nothing else. The ACS answers anyone, and a page
/// that says "Logged in" is worth framing to a clickjacker, so it carries every header the approver page does.
enum LoginResultPage {
    /// The code is what `hoopctl` asks for: only the person at this browser sees it, so a login link sent to
    /// someone else (phishing) gives its sender nothing.
    static func loggedIn(_ principal: Principal, code: String) -> Response {
        page(
            status: .ok, title: "Almost done",
            body: "<p>The identity provider vouched for <strong>\(MarkupText.escaped(principal.displayName))</strong>."
                + "</p><p>Type this code where <code>hoopctl login</code> asks for it:</p>"
                + "<p><strong id=\"code\">\(MarkupText.escaped(code))</strong></p>"
                + "<p>If you did not start <code>hoopctl login</code> yourself, close this window and give the code "
                + "to nobody.</p>")
    }

    static func refused(_ error: BrokerError) -> Response {
        // The API's status for the error, except that a refused login is 403 here: 401 promises a browser an
        // authentication challenge (WWW-Authenticate) this page does not offer.
        let status = error.kind == .unauthenticated ? .forbidden : APIError.status(for: error.kind)
        return page(
            status: status, title: "Login refused",
            body: "<p>The broker refused this login.</p><p><code>\(MarkupText.escaped(error.code))</code>: "
                + "\(MarkupText.escaped(error.message))</p>")
    }

    private static func page(status: HTTPResponse.Status, title: String, body: String) -> Response {
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8">\
            <meta name="viewport" content="width=device-width, initial-scale=1">\
            <title>hoopctl · \(title)</title></head><body><h1>\(title)</h1>\(body)</body></html>
            """
        // The approver page's headers (no framing, also for browsers that only know X-Frame-Options; no sniffing,
        // caching or cross-site referrer), with a CSP tighter still: this page has no stylesheet and no form.
        var headers = WebPage.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] =
            "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
