import Foundation
import Testing

@testable import SAML

/// Who signed and how: only the IdP metadata's keys count, a certificate offered in the message never does, and
/// only RSA-SHA256/ECDSA-SHA256 over SHA-256 digests with exclusive canonicalization are accepted.
@Suite struct SigningKeyAndAlgorithmTests {
    @Test func anUnsignedResponseIsRefused() {
        var template = ResponseTemplate()
        template.signAssertion = false
        #expect(TestFederation.rejection(of: template.xml) == .unsigned)
    }

    @Test func aResponseWhoseSignaturesWereStrippedIsRefused() throws {
        let xml = try TestFederation.signed(ResponseTemplate())
        let start = xml.range(of: "<ds:Signature")!.lowerBound
        let end = xml.range(of: "</ds:Signature>")!.upperBound
        var stripped = xml
        stripped.removeSubrange(start..<end)
        #expect(TestFederation.rejection(of: stripped) == .unsigned)
    }

    @Test func aSignatureByAKeyNotInMetadataIsRefused() throws {
        let xml = try TestFederation.signed(ResponseTemplate(), key: .pem(TestSigningKey.attacker.privateKeyPEM))
        #expect(TestFederation.rejection(of: xml) == .signatureInvalid("Assertion"))
    }

    @Test func theAttackersCertificateInKeyInfoIsIgnored() throws {
        var template = ResponseTemplate()
        template.assertionSignature.keyInfoCertificate = TestSigningKey.attacker.certificate.base64EncodedString()
        let xml = try TestFederation.signed(template, key: .pem(TestSigningKey.attacker.privateKeyPEM))
        #expect(xml.contains(TestSigningKey.attacker.certificate.base64EncodedString()))
        #expect(TestFederation.rejection(of: xml) == .signatureInvalid("Assertion"))
    }

    @Test func theIdPsOwnCertificateInKeyInfoDoesNotLendTrustToAnotherKey() throws {
        var template = ResponseTemplate()
        template.assertionSignature.keyInfoCertificate = TestSigningKey.idp.certificate.base64EncodedString()
        let xml = try TestFederation.signed(template, key: .pem(TestSigningKey.attacker.privateKeyPEM))
        #expect(TestFederation.rejection(of: xml) == .signatureInvalid("Assertion"))
    }

    @Test func anEmptySignatureValueIsRefused() throws {
        var template = ResponseTemplate()
        template.signAssertion = true
        #expect(TestFederation.rejection(of: template.xml) == .signatureInvalid("Assertion"))
    }

    @Test func rsaSHA1IsRefused() throws {
        var template = ResponseTemplate()
        template.assertionSignature.signatureMethod = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
        #expect(
            TestFederation.rejection(of: try TestFederation.signed(template))
                == .signatureAlgorithmNotAllowed("http://www.w3.org/2000/09/xmldsig#rsa-sha1"))
    }

    @Test func aSHA1DigestIsRefused() throws {
        var template = ResponseTemplate()
        template.assertionSignature.digestMethod = "http://www.w3.org/2000/09/xmldsig#sha1"
        #expect(
            TestFederation.rejection(of: try TestFederation.signed(template))
                == .digestAlgorithmNotAllowed("http://www.w3.org/2000/09/xmldsig#sha1"))
    }

    /// HMAC "keyed" with the IdP's public certificate: anyone can compute it, so it must never verify.
    @Test func hmacKeyedWithTheIdPsPublicCertificateIsRefused() throws {
        var template = ResponseTemplate()
        template.assertionSignature.signatureMethod = "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256"
        let xml = try TestFederation.signed(template, key: .hmac(Array(TestSigningKey.idp.certificate)))
        #expect(
            TestFederation.rejection(of: xml)
                == .signatureAlgorithmNotAllowed("http://www.w3.org/2001/04/xmldsig-more#hmac-sha256"))
    }

    @Test(arguments: [
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
        "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    ])
    func otherCanonicalizationsAreRefused(_ algorithm: String) throws {
        var template = ResponseTemplate()
        template.assertionSignature.canonicalization = algorithm
        #expect(
            TestFederation.rejection(of: try TestFederation.signed(template)) == .canonicalizationNotAllowed(algorithm))
    }

    @Test func anXPathTransformIsRefused() throws {
        var template = ResponseTemplate()
        template.assertionSignature.transforms.append("http://www.w3.org/TR/1999/REC-xpath-19991116")
        #expect(
            TestFederation.rejection(of: template.xml)
                == .transformNotAllowed("http://www.w3.org/TR/1999/REC-xpath-19991116"))
    }

    @Test func aSignatureWithoutTheEnvelopedTransformIsRefused() throws {
        var template = ResponseTemplate()
        template.assertionSignature.transforms = [SignatureTemplate.exclusiveC14N]
        #expect(
            TestFederation.rejection(of: template.xml)
                == .signatureReference(
                    "no enveloped-signature transform: the signature does not envelop its element"))
    }

    @Test func aTransformListedTwiceIsRefused() throws {
        var template = ResponseTemplate()
        template.assertionSignature.transforms.append(SignatureTemplate.exclusiveC14N)
        #expect(TestFederation.rejection(of: template.xml) == .transformNotAllowed(SignatureTemplate.exclusiveC14N))
    }
}
