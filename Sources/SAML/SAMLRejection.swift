/// Every reason a SAML message or IdP metadata is refused. `code` is stable snake_case for the audit log's `reason`;
/// `description` says precisely what was wrong, for the operator reading the log (never shown as a hint to the
/// sender beyond the code).
package enum SAMLRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// libxml2/xmlsec could not be initialised; nothing can be verified.
    case libraryUnavailable(String)
    case tooLarge(bytes: Int, limit: Int)
    case malformedBase64
    case malformedXML(String)
    /// A DOCTYPE (and so any entity declaration or external DTD) in the message: refused before it is parsed.
    case doctypeNotAllowed
    case unexpectedRoot(String)
    case unsupportedVersion(String)
    case missingElement(String)
    case malformedElement(String)
    case encryptedAssertion
    case encryptedElement(String)
    case assertionCount(Int)
    case assertionMisplaced
    case missingID(String)
    case duplicateID(String)
    case unsigned
    case signatureMisplaced(String)
    case signatureReference(String)
    case signatureAlgorithmNotAllowed(String)
    case digestAlgorithmNotAllowed(String)
    case canonicalizationNotAllowed(String)
    case transformNotAllowed(String)
    case signatureInvalid(String)
    case statusNotSuccess(String)
    case issuerMismatch(String?)
    case destinationMismatch(String?)
    case recipientMismatch(String?)
    case audienceMismatch([String])
    case inResponseToMismatch(expected: String?, found: String?)
    case subjectConfirmationNotBearer
    case notYetValid(String)
    case expired(String)
    case replayed(String)
    case replayCacheFull
    case metadataNoIdentityProvider
    case metadataNoSigningCertificate
    case metadataNoRedirectEndpoint
    case invalidCertificate(String)

    package var code: String {
        switch self {
        case .libraryUnavailable: "xml_security_unavailable"
        case .tooLarge: "too_large"
        case .malformedBase64: "malformed_base64"
        case .malformedXML: "malformed_xml"
        case .doctypeNotAllowed: "doctype_not_allowed"
        case .unexpectedRoot: "unexpected_root"
        case .unsupportedVersion: "unsupported_version"
        case .missingElement: "missing_element"
        case .malformedElement: "malformed_element"
        case .encryptedAssertion: "encrypted_assertion_not_supported"
        case .encryptedElement: "encrypted_element_not_supported"
        case .assertionCount: "assertion_count"
        case .assertionMisplaced: "assertion_misplaced"
        case .missingID: "missing_id"
        case .duplicateID: "duplicate_id"
        case .unsigned: "unsigned"
        case .signatureMisplaced: "signature_misplaced"
        case .signatureReference: "signature_reference"
        case .signatureAlgorithmNotAllowed: "signature_algorithm_not_allowed"
        case .digestAlgorithmNotAllowed: "digest_algorithm_not_allowed"
        case .canonicalizationNotAllowed: "canonicalization_not_allowed"
        case .transformNotAllowed: "transform_not_allowed"
        case .signatureInvalid: "signature_invalid"
        case .statusNotSuccess: "status_not_success"
        case .issuerMismatch: "issuer_mismatch"
        case .destinationMismatch: "destination_mismatch"
        case .recipientMismatch: "recipient_mismatch"
        case .audienceMismatch: "audience_mismatch"
        case .inResponseToMismatch: "in_response_to_mismatch"
        case .subjectConfirmationNotBearer: "subject_confirmation_not_bearer"
        case .notYetValid: "not_yet_valid"
        case .expired: "expired"
        case .replayed: "replayed"
        case .replayCacheFull: "replay_cache_full"
        case .metadataNoIdentityProvider: "metadata_no_identity_provider"
        case .metadataNoSigningCertificate: "metadata_no_signing_certificate"
        case .metadataNoRedirectEndpoint: "metadata_no_redirect_endpoint"
        case .invalidCertificate: "invalid_certificate"
        }
    }

    package var description: String {
        switch self {
        case .libraryUnavailable(let why): "the XML security library could not be initialised: \(why)"
        case .tooLarge(let bytes, let limit): "the message is \(bytes) bytes, over the limit of \(limit)"
        case .malformedBase64: "the message is not valid base64"
        case .malformedXML(let why): "the message is not well-formed XML: \(why)"
        case .doctypeNotAllowed: "the message carries a DOCTYPE (DTDs and entities are refused)"
        case .unexpectedRoot(let name): "the document element is \(name), not the one expected"
        case .unsupportedVersion(let version): "SAML version \(version) is not 2.0"
        case .missingElement(let name): "required \(name) is missing"
        case .malformedElement(let why): "malformed element: \(why)"
        case .encryptedAssertion: "EncryptedAssertion is not supported: configure the IdP to sign, not encrypt"
        case .encryptedElement(let name): "\(name) is encrypted, which is not supported"
        case .assertionCount(let count): "the response holds \(count) Assertion elements, exactly one is required"
        case .assertionMisplaced: "the Assertion is not a direct child of the Response"
        case .missingID(let name): "\(name) has no ID attribute"
        case .duplicateID(let id): "the ID \(id) occurs more than once"
        case .unsigned: "neither the Response nor the Assertion is signed"
        case .signatureMisplaced(let why): "signature in the wrong place: \(why)"
        case .signatureReference(let why): "the signature does not cover the element it is on: \(why)"
        case .signatureAlgorithmNotAllowed(let uri):
            "signature algorithm \(uri) is not allowed (RSA-SHA256, ECDSA-SHA256)"
        case .digestAlgorithmNotAllowed(let uri): "digest algorithm \(uri) is not allowed (SHA-256)"
        case .canonicalizationNotAllowed(let uri): "canonicalization \(uri) is not allowed (exclusive c14n)"
        case .transformNotAllowed(let uri): "reference transform \(uri) is not allowed (enveloped, exclusive c14n)"
        case .signatureInvalid(let name): "the signature on the \(name) does not verify with the IdP's metadata keys"
        case .statusNotSuccess(let status): "the IdP answered status \(status)"
        case .issuerMismatch(let found): "issuer \(found ?? "(none)") is not the IdP's entity id"
        case .destinationMismatch(let found): "Destination \(found ?? "(none)") is not our ACS URL"
        case .recipientMismatch(let found): "Recipient \(found ?? "(none)") is not our ACS URL"
        case .audienceMismatch(let found): "audience \(found) does not include our entity id"
        case .inResponseToMismatch(let expected, let found):
            "InResponseTo \(found ?? "(none)") does not answer our request \(expected ?? "(none: unsolicited)")"
        case .subjectConfirmationNotBearer: "the Subject has no bearer SubjectConfirmation"
        case .notYetValid(let notBefore): "not valid before \(notBefore)"
        case .expired(let notOnOrAfter): "expired at \(notOnOrAfter)"
        case .replayed(let id): "assertion \(id) was already used"
        case .replayCacheFull: "the replay cache is full; try again later"
        case .metadataNoIdentityProvider: "the metadata has no SAML 2.0 IDPSSODescriptor"
        case .metadataNoSigningCertificate: "the metadata has no signing certificate"
        case .metadataNoRedirectEndpoint: "the metadata has no SingleSignOnService for the HTTP-Redirect binding"
        case .invalidCertificate(let why): "a metadata certificate cannot be read: \(why)"
        }
    }
}
