import Foundation

@testable import SAML

/// A SAML Response as the test IdP would send it, every field open to change, with Signature templates where the
/// signing flags say. Defaults describe a valid response to `TestFederation`'s request at `TestFederation.now`.
struct ResponseTemplate {
    var responseID = "_response1"
    var assertionID = "_assertion1"
    var version = "2.0"
    var responseIssuer: String? = TestFederation.idpEntityID
    var assertionIssuer = TestFederation.idpEntityID
    var destination: String? = TestFederation.acsURL
    var inResponseTo: String? = TestFederation.requestID
    var statusCode = "urn:oasis:names:tc:SAML:2.0:status:Success"
    /// Raw XML content of the NameID, so a test can put a comment or markup in it.
    var nameIDContent = "alice@example.test"
    var confirmationMethod = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
    var recipient: String? = TestFederation.acsURL
    var confirmationInResponseTo: String? = TestFederation.requestID
    var confirmationNotOnOrAfter: Date? = TestFederation.now + 300
    var notBefore: Date? = TestFederation.now - 60
    var notOnOrAfter: Date? = TestFederation.now + 300
    /// Each inner list is one AudienceRestriction.
    var audiences: [[String]] = [[TestFederation.spEntityID]]
    var attributes: [(String, [String])] = [("groups", ["dba", "ops"])]
    /// Raw XML put in the Response's Extensions (an attacker's hiding place).
    var responseExtensions: String?
    /// Raw XML appended inside the Subject, AttributeStatement and the Response (after the Assertion).
    var subjectExtra = ""
    var attributeStatementExtra = ""
    var responseTail = ""
    var signResponse = false
    var signAssertion = true
    var responseSignature = SignatureTemplate(reference: "_response1")
    var assertionSignature = SignatureTemplate(reference: "_assertion1")

    static let samlp = "urn:oasis:names:tc:SAML:2.0:protocol"
    static let saml = "urn:oasis:names:tc:SAML:2.0:assertion"

    var assertionXML: String {
        let conditionsTimes = [
            notBefore.map { " NotBefore=\"\(SAMLTime.format($0))\"" },
            notOnOrAfter.map { " NotOnOrAfter=\"\(SAMLTime.format($0))\"" },
        ].compactMap { $0 }.joined()
        let restrictions = audiences.map { group in
            "<saml:AudienceRestriction>" + group.map { "<saml:Audience>\($0)</saml:Audience>" }.joined()
                + "</saml:AudienceRestriction>"
        }.joined()
        let confirmation = [
            recipient.map { " Recipient=\"\($0)\"" }, confirmationInResponseTo.map { " InResponseTo=\"\($0)\"" },
            confirmationNotOnOrAfter.map { " NotOnOrAfter=\"\(SAMLTime.format($0))\"" },
        ].compactMap { $0 }.joined()
        let attributes = self.attributes.map { name, values in
            "<saml:Attribute Name=\"\(name)\">"
                + values.map { "<saml:AttributeValue>\($0)</saml:AttributeValue>" }.joined() + "</saml:Attribute>"
        }.joined()
        return "<saml:Assertion xmlns:saml=\"\(Self.saml)\" ID=\"\(assertionID)\" Version=\"\(version)\""
            + " IssueInstant=\"\(SAMLTime.format(TestFederation.now))\">"
            + "<saml:Issuer>\(assertionIssuer)</saml:Issuer>"
            + (signAssertion ? assertionSignature.xml : "")
            + "<saml:Subject><saml:NameID Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">"
            + "\(nameIDContent)</saml:NameID>"
            + "<saml:SubjectConfirmation Method=\"\(confirmationMethod)\">"
            + "<saml:SubjectConfirmationData\(confirmation)/></saml:SubjectConfirmation>\(subjectExtra)</saml:Subject>"
            + "<saml:Conditions\(conditionsTimes)>\(restrictions)</saml:Conditions>"
            + "<saml:AuthnStatement AuthnInstant=\"\(SAMLTime.format(TestFederation.now))\" SessionIndex=\"_session1\">"
            + "<saml:AuthnContext><saml:AuthnContextClassRef>"
            + "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            + "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
            + "<saml:AttributeStatement>\(attributes)\(attributeStatementExtra)</saml:AttributeStatement>"
            + "</saml:Assertion>"
    }

    var xml: String {
        let attributes = [
            destination.map { " Destination=\"\($0)\"" }, inResponseTo.map { " InResponseTo=\"\($0)\"" },
        ].compactMap { $0 }.joined()
        return "<samlp:Response xmlns:samlp=\"\(Self.samlp)\" xmlns:saml=\"\(Self.saml)\" ID=\"\(responseID)\""
            + " Version=\"\(version)\" IssueInstant=\"\(SAMLTime.format(TestFederation.now))\"\(attributes)>"
            + (responseIssuer.map { "<saml:Issuer>\($0)</saml:Issuer>" } ?? "")
            + (signResponse ? responseSignature.xml : "")
            + (responseExtensions.map { "<samlp:Extensions>\($0)</samlp:Extensions>" } ?? "")
            + "<samlp:Status><samlp:StatusCode Value=\"\(statusCode)\"/></samlp:Status>"
            + assertionXML + responseTail + "</samlp:Response>"
    }
}
