import CXMLSec
import Foundation
import Testing

@testable import SAML

/// The HTTP-Redirect AuthnRequest: what the IdP gets when it inflates the query parameter.
@Suite struct AuthnRequestTests {
    static func inflate(_ data: Data) -> String? {
        var output = [UInt8](repeating: 0, count: 64 * 1024)
        let written = data.withUnsafeBytes { input in
            hoop_raw_inflate(
                input.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt(input.count), &output, UInt(output.count))
        }
        return written < 0 ? nil : String(decoding: output.prefix(written), as: UTF8.self)
    }

    static func query(_ url: URL) -> [String: String] {
        let items = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        return Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    @Test func theRedirectCarriesTheDeflatedRequestAndTheRelayState() throws {
        let idp = SAMLIdentityProvider(
            entityID: TestFederation.idpEntityID,
            singleSignOnURL: URL(string: "https://idp.example.test/sso?tenant=1")!,
            signingCertificates: [])
        let request = SAMLAuthnRequest(sp: TestFederation.sp, idp: idp, now: TestFederation.now + 0.7)
        let url = request.redirectURL(relayState: "login/1 & more+=")
        let query = Self.query(url)
        #expect(url.absoluteString.hasPrefix("https://idp.example.test/sso?tenant=1&SAMLRequest="))
        #expect(query["RelayState"] == "login/1 & more+=")
        let xml = try #require(Data(base64Encoded: query["SAMLRequest"] ?? "").flatMap(Self.inflate))
        #expect(xml == request.xml)
        #expect(xml.contains("ID=\"\(request.id)\""))
        #expect(xml.contains("IssueInstant=\"2027-01-15T08:00:00Z\""))
        #expect(xml.contains("Destination=\"https://idp.example.test/sso?tenant=1\""))
        #expect(xml.contains("AssertionConsumerServiceURL=\"\(TestFederation.acsURL)\""))
        #expect(xml.contains("<saml:Issuer>\(TestFederation.spEntityID)</saml:Issuer>"))
    }

    @Test func everyRequestHasAFreshIDThatIsAnXMLName() {
        let ids = (0..<50).map { _ in SAMLAuthnRequest(sp: TestFederation.sp, idp: TestFederation.idp, now: .now).id }
        #expect(Set(ids).count == 50)
        #expect(ids.allSatisfy { $0.hasPrefix("_") && $0.count == 33 })
    }

    @Test func valuesAreEscapedInTheXML() {
        let sp = SAMLServiceProvider(
            entityID: "https://sp.example.test/?a=1&b=\"2\"<x>",
            assertionConsumerServiceURL: URL(string: "https://sp.example.test/acs")!)
        let xml = SAMLAuthnRequest(sp: sp, idp: TestFederation.idp, now: TestFederation.now).xml
        #expect(xml.contains("<saml:Issuer>https://sp.example.test/?a=1&amp;b=&quot;2&quot;&lt;x&gt;</saml:Issuer>"))
    }
}
