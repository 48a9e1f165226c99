/// The parts of an OpenID Provider's discovery document (`/.well-known/openid-configuration`) the CLI needs.
package struct OIDCDiscovery: Decodable, Sendable, Equatable {
    package var issuer: String
    package var tokenEndpoint: String
    /// Absent when the provider does not offer the RFC 8628 device flow.
    package var deviceAuthorizationEndpoint: String?

    package init(issuer: String, tokenEndpoint: String, deviceAuthorizationEndpoint: String?) {
        self.issuer = issuer
        self.tokenEndpoint = tokenEndpoint
        self.deviceAuthorizationEndpoint = deviceAuthorizationEndpoint
    }

    enum CodingKeys: String, CodingKey {
        case issuer
        case tokenEndpoint = "token_endpoint"
        case deviceAuthorizationEndpoint = "device_authorization_endpoint"
    }
}
