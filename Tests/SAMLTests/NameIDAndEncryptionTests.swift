import Foundation
import Testing

@testable import SAML

/// What is read out of a signed Assertion: the NameID whole (a comment cannot truncate it), nothing encrypted, no
/// markup where text belongs.
@Suite struct NameIDAndEncryptionTests {
    /// The attacker registered `alice@example.test.evil.test` at the IdP and put a comment into the signed NameID
    /// (exclusive c14n drops comments, so the signature still holds). A reader of the first text node would log them
    /// in as alice@example.test.
    @Test func aCommentInsideTheNameIDDoesNotTruncateIt() throws {
        var template = ResponseTemplate()
        template.nameIDContent = "alice@example.test<!---->.evil.test"
        let xml = try TestSigner.sign(template.xml, with: .pem(TestSigningKey.idp.privateKeyPEM))
        let withComment = xml.replacingOccurrences(of: ".evil.test", with: "<!-- a comment -->.evil.test")
        for candidate in [xml, withComment] {
            #expect(
                try TestFederation.verify(candidate, verifier: TestFederation.verifier()).nameID
                    == "alice@example.test.evil.test")
        }
    }

    @Test func aCommentAddedToASignedNameIDAfterSigningStillReadsTheSignedValue() throws {
        let xml = try TestFederation.signed(ResponseTemplate())
        let attack = xml.replacingOccurrences(of: "alice@example.test", with: "alice<!---->@example.test")
        #expect(try TestFederation.verify(attack).nameID == "alice@example.test")
    }

    @Test func cdataInTheNameIDIsReadAsText() throws {
        var template = ResponseTemplate()
        template.nameIDContent = "alice<![CDATA[@example]]>.test"
        #expect(try TestFederation.verify(try TestFederation.signed(template)).nameID == "alice@example.test")
    }

    @Test func markupInsideTheNameIDIsRefused() throws {
        var template = ResponseTemplate()
        template.nameIDContent = "alice<b xmlns=\"urn:x\">@evil.test</b>"
        #expect(
            TestFederation.rejection(of: try TestFederation.signed(template))
                == .malformedElement("NameID holds markup, not text"))
    }

    @Test func anEmptyNameIDIsRefused() throws {
        var template = ResponseTemplate()
        template.nameIDContent = "<!-- nothing -->"
        #expect(TestFederation.rejection(of: try TestFederation.signed(template)) == .malformedElement("empty NameID"))
    }

    @Test func anEncryptedAssertionIsRefusedAndSaysSo() throws {
        var template = ResponseTemplate()
        template.signResponse = true
        template.responseTail =
            "<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"/>"
            + "</saml:EncryptedAssertion>"
        let rejection = TestFederation.rejection(of: try TestFederation.signed(template))
        #expect(rejection == .encryptedAssertion)
        #expect(rejection?.code == "encrypted_assertion_not_supported")
    }

    @Test func anEncryptedIDIsRefused() throws {
        var template = ResponseTemplate()
        template.subjectExtra = "<saml:EncryptedID/>"
        #expect(TestFederation.rejection(of: try TestFederation.signed(template)) == .encryptedElement("EncryptedID"))
    }

    @Test func anEncryptedAttributeIsRefused() throws {
        var template = ResponseTemplate()
        template.attributeStatementExtra = "<saml:EncryptedAttribute/>"
        #expect(
            TestFederation.rejection(of: try TestFederation.signed(template)) == .encryptedElement("EncryptedAttribute")
        )
    }

    @Test func attributeValuesWithMarkupAreLeftOutNotFlattened() throws {
        var template = ResponseTemplate()
        template.attributes = [("groups", ["dba", "<x:g xmlns:x=\"urn:x\">admins</x:g>", "ops"])]
        #expect(
            try TestFederation.verify(try TestFederation.signed(template)).attributes == ["groups": ["dba", "ops"]])
    }
}
