/// The only XML-DSig algorithms a SAML signature may use here. SHA-1 is broken for signatures and HMAC would let
/// anyone holding the "key" (a public certificate) forge one, so neither is on any list; the allow-lists are also
/// handed to xmlsec so it refuses anything else on its own.
enum SignatureMethod: String, CaseIterable {
    case rsaSHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    case ecdsaSHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
}

enum DigestMethod: String, CaseIterable {
    case sha256 = "http://www.w3.org/2001/04/xmlenc#sha256"
}

/// Exclusive canonicalization without comments: the form SAML profiles use, and the one that cannot be steered by
/// the namespaces of the element a signed fragment is moved into.
enum CanonicalizationMethod: String, CaseIterable {
    case exclusive = "http://www.w3.org/2001/10/xml-exc-c14n#"
}

/// Reference transforms: the enveloped-signature transform (the signature sits inside what it signs) and exclusive
/// canonicalization. XPath, XSLT and the rest are refused: they let a signature cover something other than the
/// element it names.
enum ReferenceTransform: String, CaseIterable {
    case envelopedSignature = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
    case exclusiveCanonicalization = "http://www.w3.org/2001/10/xml-exc-c14n#"
}
