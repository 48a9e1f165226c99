import CXMLSec
package import Foundation

/// An AuthnRequest sent with the HTTP-Redirect binding: the browser carries it to the IdP in the query string
/// (raw DEFLATE, base64, URL-encoded), and the IdP answers with a Response to our ACS URL whose InResponseTo is
/// this `id`. The broker keeps `id` with the login it belongs to and hands it to `SAMLResponseVerifier` as
/// `expectedRequestID`. Unsigned: the request carries no secret, and the response is what is verified.
package struct SAMLAuthnRequest: Sendable {
    package let id: String
    package let issueInstant: Date
    package let sp: SAMLServiceProvider
    package let idp: SAMLIdentityProvider

    /// A fresh request: the id is 128 random bits (hex, after `_` because an XML ID may not start with a digit).
    package init(sp: SAMLServiceProvider, idp: SAMLIdentityProvider, now: Date) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        self.id = "_" + bytes.map { String(format: "%02x", $0) }.joined()
        self.issueInstant = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        self.sp = sp
        self.idp = idp
    }

    /// The request's XML, every value escaped.
    package var xml: String {
        let attributes: [(String, String)] = [
            ("ID", id), ("Version", SAMLConstant.version), ("IssueInstant", SAMLTime.format(issueInstant)),
            ("Destination", idp.singleSignOnURL.absoluteString),
            ("AssertionConsumerServiceURL", sp.assertionConsumerServiceURL.absoluteString),
            ("ProtocolBinding", SAMLConstant.postBinding),
        ]
        let rendered = attributes.map { " \($0.0)=\"\(Self.escape($0.1))\"" }.joined()
        return "<samlp:AuthnRequest xmlns:samlp=\"\(XMLNamespace.samlProtocol.rawValue)\""
            + " xmlns:saml=\"\(XMLNamespace.samlAssertion.rawValue)\"\(rendered)>"
            + "<saml:Issuer>\(Self.escape(sp.entityID))</saml:Issuer>"
            + "<samlp:NameIDPolicy AllowCreate=\"true\"/></samlp:AuthnRequest>"
    }

    /// The IdP's SSO URL with `SAMLRequest` and `RelayState` added to whatever query it already has.
    package func redirectURL(relayState: String) -> URL {
        var components = URLComponents(url: idp.singleSignOnURL, resolvingAgainstBaseURL: false)!
        let pairs = [("SAMLRequest", Self.deflate(Data(xml.utf8)).base64EncodedString()), ("RelayState", relayState)]
        let added = pairs.map { "\($0.0)=\(Self.queryEscape($0.1))" }.joined(separator: "&")
        components.percentEncodedQuery = [components.percentEncodedQuery, added].compactMap { $0 }
            .filter { !$0.isEmpty }.joined(separator: "&")
        return components.url!
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters (`+`, `/` and `=` of base64 included).
    private static func queryEscape(_ text: String) -> String {
        let unreserved = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: unreserved)!
    }

    /// Raw DEFLATE through zlib; an AuthnRequest is a few hundred bytes, so the bound never binds.
    private static func deflate(_ data: Data) -> Data {
        var output = [UInt8](repeating: 0, count: data.count + 1024)
        let written = data.withUnsafeBytes { input in
            hoop_raw_deflate(
                input.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt(input.count), &output, UInt(output.count))
        }
        precondition(written >= 0, "zlib could not deflate a \(data.count)-byte AuthnRequest")
        return Data(output.prefix(written))
    }
}
