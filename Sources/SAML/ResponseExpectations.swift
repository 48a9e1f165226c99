import Foundation

/// What one verified response must say to be for us, from this IdP, now, in answer to our request. Used only on
/// elements a verified signature covers.
struct ResponseExpectations {
    let sp: SAMLServiceProvider
    let idp: SAMLIdentityProvider
    /// Nil for an IdP-initiated (unsolicited) response, which must then carry no InResponseTo.
    let requestID: String?
    let window: ValidityWindow

    var acsURL: String { sp.assertionConsumerServiceURL.absoluteString }

    func checkVersion(of element: XMLElementNode) throws(SAMLRejection) {
        let version = element.attribute(.version) ?? "(none)"
        guard version == SAMLConstant.version else { throw .unsupportedVersion(version) }
    }

    func checkIssuer(_ issuer: XMLElementNode) throws(SAMLRejection) {
        let text = try issuer.text()
        guard text == idp.entityID else { throw .issuerMismatch(text) }
    }

    func checkInResponseTo(of element: XMLElementNode) throws(SAMLRejection) {
        let found = element.attribute(.inResponseTo)
        guard found == requestID else { throw .inResponseToMismatch(expected: requestID, found: found) }
    }

    /// The Response element: version, issuer (optional there), Destination, InResponseTo and a Success status.
    func checkResponse(_ response: XMLElementNode) throws(SAMLRejection) {
        try checkVersion(of: response)
        if let issuer = try response.single(.issuer) { try checkIssuer(issuer) }
        let destination = response.attribute(.destination)
        guard destination == acsURL else { throw .destinationMismatch(destination) }
        try checkInResponseTo(of: response)
        if let failure = try ResponseStatus.failure(of: response) { throw .statusNotSuccess(failure) }
    }
}
