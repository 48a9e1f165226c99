package import Foundation

/// One trusted SAML 2.0 identity provider, with the broker as its service provider. A person logs in at the IdP in
/// a browser; the broker verifies the signed assertion at its ACS endpoint and gives `hoopctl` a token of its own
/// (`LoginTokenIssuer`).
package struct SAMLProviderConfig: Sendable {
    /// Where the IdP's metadata (entity id, SSO endpoint, signing certificates) comes from.
    package enum MetadataSource: Sendable, Equatable {
        case file(URL)
        case url(URL)
    }

    /// The handle `hoopctl login --saml NAME` and broker tokens use; unique among SAML providers.
    package var name: String
    package var metadata: MetadataSource
    /// The IdP's entity id, pinned: metadata must describe exactly this IdP (and may then share an OIDC issuer's
    /// name, for one IdP reached both ways). Nil takes the one IdP the metadata describes.
    package var identityProviderEntityID: String?
    /// The broker's entity id as this IdP knows it (the assertion's audience).
    package var entityID: String
    /// The Assertion Consumer Service URL this IdP posts to; what browsers can reach the broker by.
    package var assertionConsumerServiceURL: URL
    package var groupsAttribute: String
    package var emailAttribute: String
    /// Lifetime of the broker token a login through this IdP yields.
    package var tokenLifetime: TimeInterval
    /// Clock skew tolerated on the assertion's time conditions.
    package var clockSkew: TimeInterval
    /// How long fetched metadata (`metadata_url`) is used before it is fetched again.
    package var metadataTTL: TimeInterval

    package static let defaultTokenLifetime: TimeInterval = 3_600
    package static let maximumTokenLifetime: TimeInterval = 12 * 3_600
    package static let defaultClockSkew: TimeInterval = 120
    package static let maximumClockSkew: TimeInterval = 600
    /// The path of the ACS endpoint on the broker's port.
    package static let assertionConsumerPath = "/saml/acs"
}
