import HTTPTypes
import HoopCore
import Hummingbird
import NIOCore

/// The page a browser sees at the end of a `hoopctl login --saml`: done (go back to the terminal) or refused, with
/// the reason. Static markup, no script, and a CSP that allows nothing else.
enum LoginResultPage {
    static func loggedIn(_ principal: Principal) -> Response {
        page(
            status: .ok, title: "Logged in",
            body: "<p>Logged in as <strong>\(MarkupText.escaped(principal.displayName))</strong>.</p>"
                + "<p>You can close this window and return to your terminal.</p>")
    }

    static func refused(_ error: BrokerError) -> Response {
        let status: HTTPResponse.Status =
            switch error.kind {
            case .badRequest: .badRequest
            case .rateLimited: .tooManyRequests
            case .unavailable: .serviceUnavailable
            case .internalFailure: .internalServerError
            case .notFound: .notFound
            default: .forbidden
            }
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
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy:
                    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
