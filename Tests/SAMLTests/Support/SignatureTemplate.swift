/// A `ds:Signature` template (empty DigestValue and SignatureValue) for `TestSigner` to fill, with every algorithm
/// and the Reference open to an attacker's choice.
struct SignatureTemplate {
    static let exclusiveC14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
    static let enveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
    static let rsaSHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    static let sha256 = "http://www.w3.org/2001/04/xmlenc#sha256"

    var canonicalization = exclusiveC14N
    var signatureMethod = rsaSHA256
    var digestMethod = sha256
    var transforms = [enveloped, exclusiveC14N]
    /// Reference URIs, normally exactly one: `#` and the ID of the element the signature sits in.
    var referenceURIs: [String]
    /// A base64 certificate to put in KeyInfo, as an attacker would to offer its own key.
    var keyInfoCertificate: String?

    init(reference id: String) {
        referenceURIs = ["#" + id]
    }

    var xml: String {
        let references = referenceURIs.map { uri in
            let transforms = self.transforms.map { "<ds:Transform Algorithm=\"\($0)\"/>" }.joined()
            return "<ds:Reference URI=\"\(uri)\"><ds:Transforms>\(transforms)</ds:Transforms>"
                + "<ds:DigestMethod Algorithm=\"\(digestMethod)\"/><ds:DigestValue></ds:DigestValue></ds:Reference>"
        }.joined()
        let keyInfo = keyInfoCertificate.map {
            "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>\($0)</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"
        }
        return "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
            + "<ds:CanonicalizationMethod Algorithm=\"\(canonicalization)\"/>"
            + "<ds:SignatureMethod Algorithm=\"\(signatureMethod)\"/>\(references)</ds:SignedInfo>"
            + "<ds:SignatureValue></ds:SignatureValue>\(keyInfo ?? "")</ds:Signature>"
    }
}
