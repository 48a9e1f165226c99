/// How a person logged in to the page, named in the audit trail beside who they are.
enum WebLoginMethod: String, Sendable {
    /// OpenID Connect authorization code with PKCE (`OIDCWebLogin`).
    case oidc
    /// A SAML 2.0 assertion checked at the ACS endpoint (`SAMLLogin`).
    case saml
}
