import Foundation
import Testing

@testable import SAML

/// A genuinely signed response that is not for us, not from this IdP, not for this request, or not now: the IdP
/// signed it (for someone else, or earlier), so only the content checks stand between it and a login.
@Suite struct ResponseContentTests {
    static func rejection(_ change: (inout ResponseTemplate) -> Void, at time: Date = TestFederation.now) throws
        -> SAMLRejection?
    {
        var template = ResponseTemplate()
        template.signResponse = true
        change(&template)
        return TestFederation.rejection(of: try TestFederation.signed(template), at: time)
    }

    @Test func anAudienceForAnotherServiceProviderIsRefused() throws {
        #expect(
            try Self.rejection { $0.audiences = [["https://other-sp.example.test"]] }
                == .audienceMismatch(["https://other-sp.example.test"]))
    }

    @Test func everyAudienceRestrictionMustNameUs() throws {
        let other = "https://other-sp.example.test"
        #expect(
            try Self.rejection { $0.audiences = [[TestFederation.spEntityID], [other]] } == .audienceMismatch([other]))
        #expect(try Self.rejection { $0.audiences = [] } == .audienceMismatch([]))
    }

    @Test func aRecipientOtherThanOurACSIsRefused() throws {
        let other = "https://other-sp.example.test/acs"
        #expect(try Self.rejection { $0.recipient = other } == .recipientMismatch(other))
        #expect(try Self.rejection { $0.recipient = nil } == .recipientMismatch(nil))
    }

    @Test func aDestinationOtherThanOurACSIsRefused() throws {
        let other = "https://other-sp.example.test/acs"
        #expect(try Self.rejection { $0.destination = other } == .destinationMismatch(other))
        #expect(try Self.rejection { $0.destination = nil } == .destinationMismatch(nil))
    }

    @Test func anotherIssuerIsRefusedOnTheAssertionAndTheResponse() throws {
        let other = "https://evil-idp.example.test"
        #expect(try Self.rejection { $0.assertionIssuer = other } == .issuerMismatch(other))
        #expect(try Self.rejection { $0.responseIssuer = other } == .issuerMismatch(other))
    }

    @Test func anAnswerToAnotherRequestIsRefused() throws {
        #expect(
            try Self.rejection { $0.inResponseTo = "_other" }
                == .inResponseToMismatch(expected: TestFederation.requestID, found: "_other"))
        #expect(
            try Self.rejection { $0.confirmationInResponseTo = "_other" }
                == .inResponseToMismatch(expected: TestFederation.requestID, found: "_other"))
    }

    @Test func aResponseAnsweringARequestIsRefusedWhereNoneWasMade() throws {
        var template = ResponseTemplate()
        template.confirmationInResponseTo = nil
        let xml = try TestFederation.signed(template)
        #expect(
            TestFederation.rejection(of: xml, requestID: nil)
                == .inResponseToMismatch(expected: nil, found: TestFederation.requestID))
    }

    @Test func anExpiredAssertionIsRefused() throws {
        let later = TestFederation.now + 300 + 120
        #expect(try Self.rejection({ _ in }, at: later) == .expired("2027-01-15T08:05:00Z"))
        #expect(
            try Self.rejection { $0.confirmationNotOnOrAfter = TestFederation.now - 121 }
                == .expired("2027-01-15T07:57:59Z"))
    }

    @Test func anAssertionNotYetValidIsRefused() throws {
        #expect(try Self.rejection { $0.notBefore = TestFederation.now + 121 } == .notYetValid("2027-01-15T08:02:01Z"))
    }

    @Test func aBearerConfirmationWithoutAnExpiryIsRefused() throws {
        #expect(
            try Self.rejection { $0.confirmationNotOnOrAfter = nil }
                == .missingElement("NotOnOrAfter on SubjectConfirmationData"))
    }

    @Test func aHolderOfKeyConfirmationAloneIsRefused() throws {
        #expect(
            try Self.rejection { $0.confirmationMethod = "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key" }
                == .subjectConfirmationNotBearer)
    }

    @Test func aFailedStatusIsRefused() throws {
        #expect(
            try Self.rejection { $0.statusCode = "urn:oasis:names:tc:SAML:2.0:status:Responder" }
                == .statusNotSuccess("urn:oasis:names:tc:SAML:2.0:status:Responder"))
    }

    /// An IdP that refused the login sends its status, unsigned and without an Assertion.
    @Test func anIdPsRefusalIsReportedAsItsStatus() throws {
        let refusal = """
            <samlp:Response xmlns:samlp="\(ResponseTemplate.samlp)" ID="_r" Version="2.0" \
            IssueInstant="2027-01-15T08:00:00Z" Destination="\(TestFederation.acsURL)" InResponseTo="_request1">\
            <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder">\
            <samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"/></samlp:StatusCode>\
            </samlp:Status></samlp:Response>
            """
        #expect(
            TestFederation.rejection(of: refusal)
                == .statusNotSuccess(
                    "urn:oasis:names:tc:SAML:2.0:status:Responder / urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"))
        let empty = refusal.replacingOccurrences(of: "status:Responder", with: "status:Success")
        #expect(TestFederation.rejection(of: empty) == .assertionCount(0))
    }

    @Test func aVersionOtherThanTwoIsRefused() throws {
        #expect(try Self.rejection { $0.version = "1.1" } == .unsupportedVersion("1.1"))
    }

    @Test func aTimeOutsideUTCIsRefusedNotGuessed() throws {
        var template = ResponseTemplate()
        template.signResponse = true
        let shifted = template.xml.replacingOccurrences(
            of: "NotOnOrAfter=\"2027-01-15T08:05:00Z\"", with: "NotOnOrAfter=\"2027-01-15T08:05:00+02:00\"")
        let xml = try TestSigner.sign(shifted, with: .pem(TestSigningKey.idp.privateKeyPEM))
        #expect(
            TestFederation.rejection(of: xml)
                == .malformedElement("2027-01-15T08:05:00+02:00 is not a UTC xs:dateTime"))
    }
}
