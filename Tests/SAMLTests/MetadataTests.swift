import Foundation
import Testing

@testable import SAML

/// IdP metadata, read as strictly as a response: the entity id, the HTTP-Redirect SSO endpoint, and the signing
/// certificates (and only those) become what the verifier trusts.
@Suite struct MetadataTests {
    static let certificate = TestSigningKey.idp.certificate.base64EncodedString(options: .lineLength64Characters)
    static let encryptionOnly = TestSigningKey.attacker.certificate.base64EncodedString()

    static func metadata(
        entityID: String = "https://idp.example.test/metadata", keys: String? = nil, redirect: Bool = true,
        protocols: String = "urn:oasis:names:tc:SAML:2.0:protocol"
    ) -> Data {
        let keyDescriptors =
            keys
                ?? """
                <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>
                \(certificate)
                </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                <md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\(encryptionOnly)\
                </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                """
        let binding = redirect ? "HTTP-Redirect" : "HTTP-POST"
        return Data(
            """
            <?xml version="1.0"?>
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" \
            xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="\(entityID)">
            <md:IDPSSODescriptor protocolSupportEnumeration="\(protocols)">\(keyDescriptors)
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:\(binding)" \
            Location="https://idp.example.test/sso?tenant=1"/>
            </md:IDPSSODescriptor></md:EntityDescriptor>
            """.utf8)
    }

    @Test func readsTheEntityIDTheRedirectEndpointAndOnlyTheSigningCertificates() throws {
        let idp = try SAMLMetadata.parse(Self.metadata())
        #expect(idp.entityID == "https://idp.example.test/metadata")
        #expect(idp.singleSignOnURL.absoluteString == "https://idp.example.test/sso?tenant=1")
        #expect(idp.signingCertificates == [TestSigningKey.idp.certificate])
    }

    @Test func picksOneIdPOutOfAnAggregate() throws {
        let one = String(decoding: Self.metadata(entityID: "https://a.example.test"), as: UTF8.self)
        let two = String(decoding: Self.metadata(entityID: "https://b.example.test"), as: UTF8.self)
        let strip = { (text: String) in text.replacingOccurrences(of: "<?xml version=\"1.0\"?>", with: "") }
        let aggregate = Data(
            ("<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\">" + strip(one) + strip(two)
                + "</md:EntitiesDescriptor>").utf8)
        #expect(throws: SAMLRejection.metadataNoIdentityProvider) { try SAMLMetadata.parse(aggregate) }
        #expect(
            try SAMLMetadata.parse(aggregate, entityID: "https://b.example.test").entityID == "https://b.example.test")
    }

    @Test func refusesMetadataWithoutWhatLoginNeeds() {
        #expect(throws: SAMLRejection.metadataNoSigningCertificate) { try SAMLMetadata.parse(Self.metadata(keys: "")) }
        #expect(throws: SAMLRejection.metadataNoRedirectEndpoint) {
            try SAMLMetadata.parse(Self.metadata(redirect: false))
        }
        #expect(throws: SAMLRejection.metadataNoIdentityProvider) {
            try SAMLMetadata.parse(Self.metadata(protocols: "urn:oasis:names:tc:SAML:1.1:protocol"))
        }
        #expect(throws: SAMLRejection.unexpectedRoot("Response")) {
            try SAMLMetadata.parse(Data(ResponseTemplate().xml.utf8))
        }
    }

    @Test func refusesACertificateThatIsNotOne() {
        let broken =
            "<md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate>"
            + "</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        #expect(throws: SAMLRejection.invalidCertificate("not a DER X.509 certificate with an RSA or EC key")) {
            try SAMLMetadata.parse(Self.metadata(keys: broken))
        }
    }

    @Test func refusesADoctype() {
        var document = Data("<!DOCTYPE md:EntityDescriptor [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>".utf8)
        document.append(Self.metadata().dropFirst("<?xml version=\"1.0\"?>".utf8.count))
        #expect(throws: SAMLRejection.doctypeNotAllowed) { try SAMLMetadata.parse(document) }
    }
}
