package import Foundation

/// What the broker trusts about one SAML IdP, read from its metadata: its entity id (the Issuer of everything it
/// sends), where to send users to log in (the HTTP-Redirect SingleSignOnService), and the certificates whose keys
/// alone may sign its responses (more than one during a key rollover).
package struct SAMLIdentityProvider: Sendable, Equatable {
    package let entityID: String
    package let singleSignOnURL: URL
    /// DER X.509 certificates.
    package let signingCertificates: [Data]

    package init(entityID: String, singleSignOnURL: URL, signingCertificates: [Data]) {
        self.entityID = entityID
        self.singleSignOnURL = singleSignOnURL
        self.signingCertificates = signingCertificates
    }
}
