import Foundation

@testable import SAML

/// The SP and IdP of the crafted-response tests: our entity id and ACS URL, an IdP whose metadata holds
/// `TestSigningKey.idp`'s certificate, one request id, and a fixed `now`.
enum TestFederation {
    static let spEntityID = "https://broker.example.test/saml"
    static let acsURL = "https://broker.example.test/saml/acs"
    static let idpEntityID = "https://idp.example.test/metadata"
    static let requestID = "_request1"
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static let sp = SAMLServiceProvider(entityID: spEntityID, assertionConsumerServiceURL: URL(string: acsURL)!)
    static let idp = SAMLIdentityProvider(
        entityID: idpEntityID, singleSignOnURL: URL(string: "https://idp.example.test/sso")!,
        signingCertificates: [TestSigningKey.idp.certificate])

    static func verifier(idp: SAMLIdentityProvider = idp, cache: SAMLReplayCache = SAMLReplayCache())
        -> SAMLResponseVerifier
    {
        SAMLResponseVerifier(sp: sp, idp: idp, replayCache: cache)
    }

    /// The template signed by the IdP's key (or `key`).
    static func signed(_ template: ResponseTemplate, key: TestSigner.Key = .pem(TestSigningKey.idp.privateKeyPEM))
        throws -> String
    {
        try TestSigner.sign(template.xml, with: key)
    }

    /// Verifies `xml` as it would arrive in the POST form.
    @discardableResult
    static func verify(
        _ xml: String, verifier: SAMLResponseVerifier = verifier(), requestID: String? = requestID, at time: Date = now
    ) throws(SAMLRejection) -> SAMLAssertion {
        try verifier.verify(
            base64Response: Data(xml.utf8).base64EncodedString(), expectedRequestID: requestID, now: time)
    }

    /// The refusal `xml` meets, or nil when it is accepted.
    static func rejection(of xml: String, requestID: String? = requestID, at time: Date = now) -> SAMLRejection? {
        do {
            try verify(xml, requestID: requestID, at: time)
            return nil
        } catch {
            return error
        }
    }
}
