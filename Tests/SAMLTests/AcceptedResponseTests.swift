import Foundation
import Testing

@testable import SAML

/// The baseline every attack is measured against: a well-formed response signed by the IdP's metadata key is
/// accepted, and what comes back is what the signed Assertion says.
@Suite struct AcceptedResponseTests {
    @Test(arguments: [(false, true), (true, false), (true, true)])
    func aResponseSignedOnTheAssertionTheResponseOrBothIsAccepted(signResponse: Bool, signAssertion: Bool) throws {
        var template = ResponseTemplate()
        template.signResponse = signResponse
        template.signAssertion = signAssertion
        let assertion = try TestFederation.verify(try TestFederation.signed(template))
        #expect(assertion.nameID == "alice@example.test")
        #expect(assertion.nameIDFormat == "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")
        #expect(assertion.issuer == TestFederation.idpEntityID)
        #expect(assertion.assertionID == "_assertion1")
        #expect(assertion.attributes == ["groups": ["dba", "ops"]])
        #expect(assertion.sessionIndex == "_session1")
        #expect(assertion.notOnOrAfter == TestFederation.now + 300)
    }

    @Test func anECDSASHA256SignatureByAnECKeyInMetadataIsAccepted() throws {
        var template = ResponseTemplate()
        template.assertionSignature.signatureMethod = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
        let idp = SAMLIdentityProvider(
            entityID: TestFederation.idpEntityID, singleSignOnURL: TestFederation.idp.singleSignOnURL,
            signingCertificates: [TestSigningKey.idpEC.certificate])
        let xml = try TestFederation.signed(template, key: .pem(TestSigningKey.idpEC.privateKeyPEM))
        #expect(
            try TestFederation.verify(xml, verifier: TestFederation.verifier(idp: idp)).nameID == "alice@example.test")
    }

    @Test func aSecondMetadataCertificateDuringRolloverVerifiesToo() throws {
        let idp = SAMLIdentityProvider(
            entityID: TestFederation.idpEntityID, singleSignOnURL: TestFederation.idp.singleSignOnURL,
            signingCertificates: [TestSigningKey.attacker.certificate, TestSigningKey.idp.certificate])
        let xml = try TestFederation.signed(ResponseTemplate())
        #expect(
            try TestFederation.verify(xml, verifier: TestFederation.verifier(idp: idp)).assertionID == "_assertion1")
    }

    @Test func anUnsolicitedResponseIsAcceptedOnlyWhenNoRequestIsExpected() throws {
        var template = ResponseTemplate()
        template.inResponseTo = nil
        template.confirmationInResponseTo = nil
        let xml = try TestFederation.signed(template)
        #expect(TestFederation.rejection(of: xml, requestID: nil) == nil)
        #expect(
            TestFederation.rejection(of: xml, requestID: "_request1")
                == .inResponseToMismatch(expected: "_request1", found: nil))
    }

    @Test func clockSkewWithinTwoMinutesIsTolerated() throws {
        let xml = try TestFederation.signed(ResponseTemplate())
        #expect(TestFederation.rejection(of: xml, at: TestFederation.now - 60 - 119) == nil)
        #expect(TestFederation.rejection(of: xml, at: TestFederation.now + 300 + 119) == nil)
    }

    @Test func base64BrokenIntoLinesIsAccepted() throws {
        let xml = try TestFederation.signed(ResponseTemplate())
        let lines = Data(xml.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn])
        let assertion = try TestFederation.verifier().verify(
            base64Response: lines, expectedRequestID: TestFederation.requestID, now: TestFederation.now)
        #expect(assertion.nameID == "alice@example.test")
    }
}
