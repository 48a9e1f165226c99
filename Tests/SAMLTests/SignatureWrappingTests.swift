import Foundation
import Testing

@testable import SAML

/// XML signature wrapping (XSW1–8 and kin), written as the attacker: hold one response the IdP really signed for
/// `alice`, keep its signature intact somewhere it still verifies, and make the reader take a forged Assertion for
/// `admin`. Every variant must be refused before anything of the forgery is read.
@Suite struct SignatureWrappingTests {
    /// A response the IdP signed (Assertion signature only unless told), as the attacker captured it.
    static func captured(signResponse: Bool = false, signAssertion: Bool = true) throws -> String {
        var template = ResponseTemplate()
        template.signResponse = signResponse
        template.signAssertion = signAssertion
        return try TestFederation.signed(template)
    }

    /// The signed Assertion element, cut out of the captured response.
    static func signedAssertion(of xml: String) -> String {
        let start = xml.range(of: "<saml:Assertion")!.lowerBound
        let end = xml.range(of: "</saml:Assertion>")!.upperBound
        return String(xml[start..<end])
    }

    /// The attacker's Assertion: the same one with admin as the subject and its signature dropped, under `id`.
    static func forged(from assertion: String, id: String) -> String {
        var forged = assertion.replacingOccurrences(of: "alice@example.test", with: "admin@example.test")
            .replacingOccurrences(of: "ID=\"_assertion1\"", with: "ID=\"\(id)\"")
        if let start = forged.range(of: "<ds:Signature"), let end = forged.range(of: "</ds:Signature>") {
            forged.removeSubrange(start.lowerBound..<end.upperBound)
        }
        return forged
    }

    @Test func theSignedAssertionMovedIntoExtensionsBehindAForgedOneIsRefused() throws {
        let xml = try Self.captured()
        let original = Self.signedAssertion(of: xml)
        let attack = xml.replacingOccurrences(of: original, with: Self.forged(from: original, id: "_evil"))
            .replacingOccurrences(
                of: "<samlp:Status>", with: "<samlp:Extensions>\(original)</samlp:Extensions><samlp:Status>")
        #expect(TestFederation.rejection(of: attack) == .assertionCount(2))
    }

    @Test func anEvilTwinWithTheSameIDBesideTheSignedAssertionIsRefused() throws {
        let xml = try Self.captured()
        let original = Self.signedAssertion(of: xml)
        let attack = xml.replacingOccurrences(
            of: original, with: Self.forged(from: original, id: "_assertion1") + original)
        #expect(TestFederation.rejection(of: attack) == .assertionCount(2))
    }

    @Test func theSignedAssertionHiddenInsideTheForgedOnesSignatureObjectIsRefused() throws {
        let xml = try Self.captured()
        let original = Self.signedAssertion(of: xml)
        let wrapper =
            "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:Object>\(original)"
            + "</ds:Object></ds:Signature>"
        let forged = Self.forged(from: original, id: "_evil").replacingOccurrences(
            of: "</saml:Issuer>", with: "</saml:Issuer>\(wrapper)")
        #expect(
            TestFederation.rejection(of: xml.replacingOccurrences(of: original, with: forged)) == .assertionCount(2))
    }

    @Test func theOnlyAssertionMovedIntoAnObjectOfTheResponseIsRefused() throws {
        let xml = try Self.captured()
        let original = Self.signedAssertion(of: xml)
        let attack = xml.replacingOccurrences(of: original, with: "").replacingOccurrences(
            of: "<samlp:Status>",
            with: "<samlp:Extensions><x:Wrapper xmlns:x=\"urn:evil\">\(original)</x:Wrapper></samlp:Extensions>"
                + "<samlp:Status>")
        #expect(TestFederation.rejection(of: attack) == .assertionMisplaced)
    }

    @Test func aSecondAssertionAppendedToASignedResponseIsRefused() throws {
        let xml = try Self.captured(signResponse: true, signAssertion: false)
        let forged = Self.forged(from: Self.signedAssertion(of: xml), id: "_evil")
        let attack = xml.replacingOccurrences(of: "</samlp:Response>", with: forged + "</samlp:Response>")
        #expect(TestFederation.rejection(of: attack) == .assertionCount(2))
    }

    @Test func theAssertionOfASignedResponseSwappedForAForgeryIsRefused() throws {
        let xml = try Self.captured(signResponse: true, signAssertion: false)
        let original = Self.signedAssertion(of: xml)
        let attack = xml.replacingOccurrences(of: original, with: Self.forged(from: original, id: "_assertion1"))
        #expect(TestFederation.rejection(of: attack) == .signatureInvalid("Response"))
    }

    /// XSW1/XSW2 against a signed Response: a forged Response for admin carries the genuine signed one inside its
    /// own (copied) Signature's Object, or in its Extensions, where the signature check would find its ID.
    @Test(arguments: ["signature object", "extensions"])
    func theSignedResponseHiddenInsideAForgedResponseIsRefused(_ hidingPlace: String) throws {
        let xml = try Self.captured(signResponse: true, signAssertion: false)
        let inner = String(xml[xml.range(of: "<samlp:Response")!.lowerBound...])
        let forged = ResponseTemplate(signAssertion: false, nameIDContent: "admin@example.test").xml
        let attack =
            hidingPlace == "extensions"
            ? forged.replacingOccurrences(
                of: "<samlp:Status>", with: "<samlp:Extensions>\(inner)</samlp:Extensions><samlp:Status>")
            : forged.replacingOccurrences(
                of: "</saml:Issuer><samlp:Status>",
                with: "</saml:Issuer><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:Object>"
                    + "\(inner)</ds:Object></ds:Signature><samlp:Status>")
        #expect(attack != forged)
        #expect(TestFederation.rejection(of: attack) == .assertionCount(2))
    }

    @Test func aTamperedSignedAssertionIsRefused() throws {
        let attack = try Self.captured().replacingOccurrences(of: "alice@example.test", with: "admin@example.test")
        #expect(TestFederation.rejection(of: attack) == .signatureInvalid("Assertion"))
    }

    @Test func aSignatureOnTheAssertionThatReferencesTheResponseIsRefused() throws {
        var template = ResponseTemplate()
        template.assertionSignature = SignatureTemplate(reference: "_response1")
        #expect(
            TestFederation.rejection(of: try TestFederation.signed(template))
                == .signatureReference("Reference URI #_response1 is not #_assertion1 of the Assertion"))
    }

    @Test func aSignatureOverTheWholeDocumentIsRefused() throws {
        var template = ResponseTemplate()
        template.signResponse = true
        template.signAssertion = false
        template.responseSignature.referenceURIs = [""]
        #expect(
            TestFederation.rejection(of: try TestFederation.signed(template))
                == .signatureReference("Reference URI  is not #_response1 of the Response"))
    }

    @Test func aSignatureWithASecondReferenceIsRefused() throws {
        var template = ResponseTemplate()
        template.assertionSignature.referenceURIs = ["#_assertion1", "#_response1"]
        #expect(
            TestFederation.rejection(of: try TestFederation.signed(template))
                == .signatureReference("2 References, exactly one is required"))
    }

    @Test func aSignatureSittingInExtensionsIsRefused() throws {
        var template = ResponseTemplate()
        template.signAssertion = false
        template.responseExtensions = SignatureTemplate(reference: "_assertion1").xml
        #expect(
            TestFederation.rejection(of: try TestFederation.signed(template))
                == .signatureMisplaced("a Signature inside Extensions"))
    }

    @Test func twoSignaturesOnTheAssertionAreRefused() throws {
        var template = ResponseTemplate()
        template.subjectExtra = ""
        let xml = try TestFederation.signed(template)
        let signature = String(
            xml[xml.range(of: "<ds:Signature")!.lowerBound..<xml.range(of: "</ds:Signature>")!.upperBound])
        let attack = xml.replacingOccurrences(of: signature, with: signature + signature)
        #expect(TestFederation.rejection(of: attack) == .signatureMisplaced("more than one Signature on the Assertion"))
    }

    @Test func anXMLIDClaimingTheAssertionsIDElsewhereIsRefused() throws {
        let xml = try Self.captured()
        let attack = xml.replacingOccurrences(
            of: "<samlp:Status>",
            with: "<samlp:Extensions><x:Decoy xmlns:x=\"urn:evil\" xml:id=\"_assertion1\"/>"
                + "</samlp:Extensions><samlp:Status>")
        #expect(TestFederation.rejection(of: attack) == .duplicateID("_assertion1"))
    }

    @Test func aResponseAndAssertionSharingOneIDAreRefused() throws {
        var template = ResponseTemplate()
        template.responseID = "_same"
        template.assertionID = "_same"
        template.assertionSignature = SignatureTemplate(reference: "_same")
        #expect(TestFederation.rejection(of: template.xml) == .duplicateID("_same"))
    }

    @Test func anAssertionWithoutAnIDIsRefused() throws {
        let attack = try Self.captured().replacingOccurrences(of: " ID=\"_assertion1\"", with: "")
        #expect(TestFederation.rejection(of: attack) == .missingID("Assertion"))
    }
}

extension ResponseTemplate {
    init(signAssertion: Bool, nameIDContent: String) {
        self.init()
        self.signAssertion = signAssertion
        self.nameIDContent = nameIDContent
    }
}
