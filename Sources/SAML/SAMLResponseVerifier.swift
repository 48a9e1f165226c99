package import Foundation

/// Verifies a SAMLResponse from the HTTP-POST binding and returns only data from the element a signature covers.
///
/// The order matters: size, then XML parsing without DTDs or entities, then the document's structure (one
/// Assertion, signatures only on it or the Response), then each signature's shape and its cryptography (by
/// libxmlsec1, with the metadata keys only), and only then what the signed content says. Nothing is read from a
/// message before its signature is known to cover it.
package struct SAMLResponseVerifier: Sendable {
    /// A real response is a few KiB; this leaves room for many attributes and a certificate chain.
    package static let maximumResponseBytes = 256 * 1024

    package let sp: SAMLServiceProvider
    package let idp: SAMLIdentityProvider
    package let clockSkew: TimeInterval
    package let replayCache: SAMLReplayCache

    package init(
        sp: SAMLServiceProvider, idp: SAMLIdentityProvider, clockSkew: TimeInterval = 120,
        replayCache: SAMLReplayCache
    ) {
        self.sp = sp
        self.idp = idp
        self.clockSkew = clockSkew
        self.replayCache = replayCache
    }

    /// `expectedRequestID` is the id of the AuthnRequest this response must answer (its InResponseTo); nil accepts
    /// only an unsolicited response.
    package func verify(base64Response: String, expectedRequestID: String?, now: Date) throws(SAMLRejection)
        -> SAMLAssertion
    {
        let xml = try SAMLPostBinding.decode(base64Response, limit: Self.maximumResponseBytes)
        let tree = try XMLTree.parse(xml)
        let structure = try ResponseStructure(tree)
        for signature in structure.signatures { try signature.checkProfile() }
        for signature in structure.signatures { try signature.verify(with: idp.signingCertificates) }
        let expectations = ResponseExpectations(
            sp: sp, idp: idp, requestID: expectedRequestID, window: ValidityWindow(now: now, skew: clockSkew))
        try expectations.checkResponse(structure.response)
        let assertion = try expectations.readAssertion(structure.assertion)
        try replayCache.remember(
            assertion.assertionID, until: assertion.notOnOrAfter.addingTimeInterval(clockSkew), now: now)
        return assertion
    }
}
