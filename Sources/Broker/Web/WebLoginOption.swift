/// One way to log in to the page, as the login page lists it: a label and the address that starts the login.
/// The broker builds the list once at start: one option per OIDC provider with a `web_client_id`; other login
/// methods (SAML) append theirs. Starting a login is a GET to `path` with `next` added as a query parameter; the
/// method then verifies who the person is and calls `WebSessions.begin`.
struct WebLoginOption: Sendable, Equatable {
    /// What the button says, e.g. "Log in with idp.example.com".
    var label: String
    /// A path on the broker, e.g. `/login/oidc?issuer=…`; its query may be empty.
    var path: String

    /// The address of the button: `path` with `next` appended.
    func href(next: String) -> String {
        let separator = path.contains("?") ? "&" : "?"
        return path + separator + "next=" + WebQuery.encode(next)
    }
}
