/// The XML namespaces a SAML 2.0 message and IdP metadata use.
enum XMLNamespace: String {
    case samlProtocol = "urn:oasis:names:tc:SAML:2.0:protocol"
    case samlAssertion = "urn:oasis:names:tc:SAML:2.0:assertion"
    case samlMetadata = "urn:oasis:names:tc:SAML:2.0:metadata"
    case signature = "http://www.w3.org/2000/09/xmldsig#"
}

/// An element name with its namespace: SAML elements are matched on both, never on a prefix, so a look-alike in
/// another namespace is never taken for the real one.
struct QualifiedName: Equatable, CustomStringConvertible {
    let namespace: XMLNamespace
    let local: String

    var description: String { local }

    static func samlp(_ local: String) -> QualifiedName { QualifiedName(namespace: .samlProtocol, local: local) }
    static func saml(_ local: String) -> QualifiedName { QualifiedName(namespace: .samlAssertion, local: local) }
    static func md(_ local: String) -> QualifiedName { QualifiedName(namespace: .samlMetadata, local: local) }
    static func ds(_ local: String) -> QualifiedName { QualifiedName(namespace: .signature, local: local) }

    static let response = samlp("Response")
    static let status = samlp("Status")
    static let statusCode = samlp("StatusCode")
    static let assertion = saml("Assertion")
    static let encryptedAssertion = saml("EncryptedAssertion")
    static let issuer = saml("Issuer")
    static let subject = saml("Subject")
    static let nameID = saml("NameID")
    static let encryptedID = saml("EncryptedID")
    static let subjectConfirmation = saml("SubjectConfirmation")
    static let subjectConfirmationData = saml("SubjectConfirmationData")
    static let conditions = saml("Conditions")
    static let audienceRestriction = saml("AudienceRestriction")
    static let audience = saml("Audience")
    static let authnStatement = saml("AuthnStatement")
    static let attributeStatement = saml("AttributeStatement")
    static let attribute = saml("Attribute")
    static let attributeValue = saml("AttributeValue")
    static let encryptedAttribute = saml("EncryptedAttribute")
    static let signature = ds("Signature")
    static let signedInfo = ds("SignedInfo")
    static let canonicalizationMethod = ds("CanonicalizationMethod")
    static let signatureMethod = ds("SignatureMethod")
    static let reference = ds("Reference")
    static let transforms = ds("Transforms")
    static let transform = ds("Transform")
    static let digestMethod = ds("DigestMethod")
    static let keyInfo = ds("KeyInfo")
    static let x509Data = ds("X509Data")
    static let x509Certificate = ds("X509Certificate")
    static let entitiesDescriptor = md("EntitiesDescriptor")
    static let entityDescriptor = md("EntityDescriptor")
    static let idpDescriptor = md("IDPSSODescriptor")
    static let keyDescriptor = md("KeyDescriptor")
    static let singleSignOnService = md("SingleSignOnService")
}

/// The attribute names read from SAML elements (all unqualified).
enum SAMLAttributeName: String {
    case id = "ID"
    case version = "Version"
    case issueInstant = "IssueInstant"
    case destination = "Destination"
    case inResponseTo = "InResponseTo"
    case value = "Value"
    case method = "Method"
    case recipient = "Recipient"
    case notBefore = "NotBefore"
    case notOnOrAfter = "NotOnOrAfter"
    case sessionIndex = "SessionIndex"
    case sessionNotOnOrAfter = "SessionNotOnOrAfter"
    case name = "Name"
    case format = "Format"
    case algorithm = "Algorithm"
    case uri = "URI"
    case entityID = "entityID"
    case use
    case binding = "Binding"
    case location = "Location"
    case protocolSupportEnumeration
}

/// Fixed SAML 2.0 values this verifier compares against.
enum SAMLConstant {
    static let version = "2.0"
    static let statusSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success"
    static let bearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
    static let redirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
    static let postBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    static let signingUse = "signing"
}
