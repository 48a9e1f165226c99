import Foundation
import Testing

@testable import SAML

/// Input that must be refused before any XML processing worth the name: oversized, not base64, not XML, DTDs,
/// entity expansion and external entities (XXE), in any encoding.
@Suite struct HostileInputTests {
    static func rejection(ofBytes bytes: Data) -> SAMLRejection? {
        do {
            _ = try TestFederation.verifier().verify(
                base64Response: bytes.base64EncodedString(), expectedRequestID: TestFederation.requestID,
                now: TestFederation.now)
            return nil
        } catch {
            return error
        }
    }

    @Test func anOversizedResponseIsRefusedBeforeDecoding() {
        let huge = String(repeating: "A", count: 400_000)
        #expect(throws: SAMLRejection.tooLarge(bytes: 400_000, limit: 357_724)) {
            try TestFederation.verifier().verify(base64Response: huge, expectedRequestID: nil, now: TestFederation.now)
        }
    }

    @Test func anOversizedDecodedResponseIsRefused() {
        // Under the encoded bound (4/3 of the limit plus line breaks) but over the limit once decoded.
        let xml = ResponseTemplate().xml
        let padded = xml + String(repeating: " ", count: 265_000 - xml.utf8.count)
        #expect(Self.rejection(ofBytes: Data(padded.utf8)) == .tooLarge(bytes: padded.utf8.count, limit: 262_144))
    }

    @Test(arguments: ["not base64!", "QUJD=A", "%3Csamlp%3AResponse"])
    func malformedBase64IsRefused(_ text: String) {
        #expect(throws: SAMLRejection.malformedBase64) {
            try TestFederation.verifier().verify(base64Response: text, expectedRequestID: nil, now: TestFederation.now)
        }
    }

    @Test func malformedXMLIsRefused() {
        let rejection = Self.rejection(ofBytes: Data("<samlp:Response xmlns:samlp=\"x\"><unclosed>".utf8))
        #expect(rejection?.code == "malformed_xml")
    }

    @Test func anotherDocumentElementIsRefused() {
        #expect(Self.rejection(ofBytes: Data("<html/>".utf8)) == .unexpectedRoot("html"))
    }

    @Test func exponentialEntityExpansionIsRefused() {
        let bomb = """
            <?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
            <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><samlp:Response xmlns:samlp="\(ResponseTemplate.samlp)">&c;</samlp:Response>
            """
        #expect(Self.rejection(ofBytes: Data(bomb.utf8)) == .doctypeNotAllowed)
    }

    @Test func anExternalEntityIsRefused() {
        let xxe = ResponseTemplate().xml.replacingOccurrences(of: "alice@example.test", with: "&xxe;")
        let document = "<!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" + xxe
        #expect(Self.rejection(ofBytes: Data(document.utf8)) == .doctypeNotAllowed)
    }

    @Test func anExternalDTDIsRefused() {
        let document = "<!DOCTYPE samlp:Response SYSTEM \"http://127.0.0.1:1/evil.dtd\">" + ResponseTemplate().xml
        #expect(Self.rejection(ofBytes: Data(document.utf8)) == .doctypeNotAllowed)
    }

    /// The same DOCTYPE in UTF-16, where a scan for ASCII bytes finds nothing: refused after parsing instead.
    @Test func aDoctypeHiddenByUTF16IsRefused() {
        let document =
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE r [<!ENTITY x \"y\">]>"
            + ResponseTemplate().xml
        var bytes = Data([0xFF, 0xFE])
        bytes.append(document.data(using: .utf16LittleEndian)!)
        #expect(Self.rejection(ofBytes: bytes) == .doctypeNotAllowed)
    }

    @Test func anUndeclaredEntityIsRefusedAsMalformed() throws {
        let xml = ResponseTemplate().xml.replacingOccurrences(of: "alice@example.test", with: "&xxe;")
        #expect(Self.rejection(ofBytes: Data(xml.utf8))?.code == "malformed_xml")
    }
}
