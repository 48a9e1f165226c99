/// How a cached token was obtained, which decides how it can be renewed: device-flow tokens by their refresh token,
/// client-credentials tokens by asking again with the client secret, provided tokens and the broker's own SAML
/// login tokens not at all (a SAML login needs the person at the IdP again).
package enum TokenOrigin: String, Codable, Sendable, Equatable {
    case device
    case clientCredentials = "client_credentials"
    case provided
    case saml
}
