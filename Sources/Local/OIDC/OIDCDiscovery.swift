/// The parts of an OpenID Provider's discovery document (`/.well-known/openid-configuration`) the CLI needs.
public struct OIDCDiscovery: Decodable, Sendable, Equatable {
    public var issuer: String
    public var tokenEndpoint: String
    /// Absent when the provider does not offer the RFC 8628 device flow.
    public var deviceAuthorizationEndpoint: String?

    public init(issuer: String, tokenEndpoint: String, deviceAuthorizationEndpoint: String?) {
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
