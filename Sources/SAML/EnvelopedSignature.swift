import CXMLSec
import Foundation

/// One enveloped XML signature on a SAML element (the Response or the Assertion). It is checked in two steps: its
/// shape first, so a refusal says exactly what was wrong (one Reference, to the ID of the element it sits in, with
/// only allowed algorithms), then its cryptography by xmlsec, with each metadata key in turn and the same
/// allow-lists given to xmlsec so it enforces them too.
struct EnvelopedSignature {
    let signature: XMLElementNode
    /// The element the signature sits in and must cover: its parent.
    let signedElement: XMLElementNode

    func checkProfile() throws(SAMLRejection) {
        let signedInfo = try signature.required(.signedInfo)
        let canonicalization = try signedInfo.required(.canonicalizationMethod).attribute(.algorithm) ?? ""
        guard CanonicalizationMethod(rawValue: canonicalization) != nil else {
            throw .canonicalizationNotAllowed(canonicalization)
        }
        let method = try signedInfo.required(.signatureMethod).attribute(.algorithm) ?? ""
        guard SignatureMethod(rawValue: method) != nil else { throw .signatureAlgorithmNotAllowed(method) }
        let references = signedInfo.children(.reference)
        guard references.count == 1, let reference = references.first else {
            throw .signatureReference("\(references.count) References, exactly one is required")
        }
        let expected = "#" + (signedElement.attribute(.id) ?? "")
        let uri = reference.attribute(.uri) ?? "(none)"
        guard uri == expected else {
            throw .signatureReference("Reference URI \(uri) is not \(expected) of the \(signedElement.localName)")
        }
        try checkTransforms(of: reference)
        let digest = try reference.required(.digestMethod).attribute(.algorithm) ?? ""
        guard DigestMethod(rawValue: digest) != nil else { throw .digestAlgorithmNotAllowed(digest) }
    }

    private func checkTransforms(of reference: XMLElementNode) throws(SAMLRejection) {
        var seen: [ReferenceTransform] = []
        for transform in try reference.single(.transforms)?.children(.transform) ?? [] {
            let algorithm = transform.attribute(.algorithm) ?? ""
            guard let known = ReferenceTransform(rawValue: algorithm), !seen.contains(known) else {
                throw .transformNotAllowed(algorithm)
            }
            seen.append(known)
        }
        guard seen.contains(.envelopedSignature) else {
            throw .signatureReference("no enveloped-signature transform: the signature does not envelop its element")
        }
    }

    /// Verifies with the metadata certificates; one of them must verify it.
    func verify(with certificates: [Data]) throws(SAMLRejection) {
        for certificate in certificates where try verifies(with: SigningKey(certificate: certificate)) {
            return
        }
        throw .signatureInvalid(signedElement.localName)
    }

    private func verifies(with key: SigningKey) throws(SAMLRejection) -> Bool {
        guard let context = xmlSecDSigCtxCreate(nil) else { throw .libraryUnavailable("no signature context") }
        defer { xmlSecDSigCtxDestroy(context) }
        context.pointee.signKey = key.take()
        context.pointee.enabledReferenceUris = xmlSecTransformUriType(xmlSecTransformUriTypeSameDocument)
        let referenceTransforms = [
            xmlSecTransformEnvelopedGetKlass(), xmlSecTransformExclC14NGetKlass(),
            xmlSecOpenSSLTransformSha256GetKlass(),
        ]
        let signatureTransforms = [
            xmlSecTransformExclC14NGetKlass(), xmlSecOpenSSLTransformRsaSha256GetKlass(),
            xmlSecOpenSSLTransformEcdsaSha256GetKlass(),
        ]
        for transform in referenceTransforms where xmlSecDSigCtxEnableReferenceTransform(context, transform) < 0 {
            throw .libraryUnavailable("cannot restrict reference transforms")
        }
        for transform in signatureTransforms where xmlSecDSigCtxEnableSignatureTransform(context, transform) < 0 {
            throw .libraryUnavailable("cannot restrict signature transforms")
        }
        guard xmlSecDSigCtxVerify(context, signature.node) == 0 else { return false }
        return context.pointee.status == xmlSecDSigStatusSucceeded
    }
}
