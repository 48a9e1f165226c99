import HTTPTypes
import Hummingbird

/// The page's cookies. Both carry the `__Host-` prefix, so a browser accepts them only when set Secure, for the
/// whole origin (Path=/) and with no Domain: a sibling host cannot plant or overwrite them. HttpOnly keeps them
/// from scripts; SameSite=Lax keeps them off cross-site POSTs while the IdP's redirect back (a top-level GET)
/// still carries the login cookie. The SAML login cookie is the exception: a SAML IdP returns the browser with a
/// cross-site POST, which only a SameSite=None cookie rides; it holds nothing but a one-login binding.
enum WebCookie: String, Sendable, CaseIterable {
    /// The web session's id.
    case session = "__Host-hoop-session"
    /// Binds an OIDC login's `state` to the browser that started it, so a callback from another browser (login
    /// CSRF, or a stolen code) finds no login to finish.
    case login = "__Host-hoop-login"
    /// Binds a SAML page login to the browser that started it, for the same reason.
    case samlLogin = "__Host-hoop-saml-login"

    private var sameSite: String { self == .samlLogin ? "None" : "Lax" }

    /// A `Set-Cookie` field value that stores `value` for `maxAge` seconds.
    func setting(_ value: String, maxAge: Int) -> String {
        "\(rawValue)=\(value); Path=/; Secure; HttpOnly; SameSite=\(sameSite); Max-Age=\(maxAge)"
    }

    /// A `Set-Cookie` field value that removes the cookie.
    var clear: String { setting("", maxAge: 0) }

    /// This cookie's value in the request, or nil. A request with the cookie twice (one planted for a parent
    /// path, say) is treated as having none: the browser's order is not something to trust.
    func value(in request: Request) -> String? {
        var found: [String] = []
        for field in request.headers where field.name == .cookie {
            for pair in field.value.split(separator: ";") {
                let trimmed = pair.trimmingPrefix(while: { $0 == " " })
                guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == rawValue else { continue }
                found.append(String(trimmed[trimmed.index(after: equals)...]))
            }
        }
        return found.count == 1 && !found[0].isEmpty ? found[0] : nil
    }
}
