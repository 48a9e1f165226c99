import CXMLSec

/// The parts of a Response the verifier uses, found from the document's structure before any signature is checked.
///
/// XML signature wrapping (XSW) works by leaving the signed element intact somewhere the signature check finds it and
/// putting a forged copy where the reader looks, or by pointing the signature at another element. Here neither can
/// happen: exactly one Assertion may exist anywhere in the document, directly under the Response; IDs are registered
/// only on that Response and that Assertion (so a `#ID` reference can resolve to nothing else, and a second element
/// claiming the same ID, `xml:id` included, is refused); and a signature may sit only directly on one of those two,
/// where its single Reference must name its own parent.
struct ResponseStructure {
    let response: XMLElementNode
    let assertion: XMLElementNode
    let signatures: [EnvelopedSignature]

    init(_ tree: XMLTree) throws(SAMLRejection) {
        let root = tree.root
        guard root.isNamed(.response) else { throw .unexpectedRoot(root.localName) }
        let elements = [root] + root.descendants
        if elements.contains(where: { $0.isNamed(.encryptedAssertion) }) { throw .encryptedAssertion }
        let assertions = elements.filter { $0.isNamed(.assertion) }
        guard assertions.count == 1, let assertion = assertions.first else {
            // An IdP that refused the login sends its status and no Assertion: that refusal is the better reason.
            if assertions.isEmpty, let failure = try? ResponseStatus.failure(of: root) {
                throw .statusNotSuccess(failure)
            }
            throw .assertionCount(assertions.count)
        }
        guard assertion.parent?.node == root.node else { throw .assertionMisplaced }
        try Self.registerID(of: root)
        try Self.registerID(of: assertion)
        var signatures: [EnvelopedSignature] = []
        for signature in elements where signature.isNamed(.signature) {
            guard let parent = signature.parent, parent.node == root.node || parent.node == assertion.node else {
                throw .signatureMisplaced("a Signature inside \(signature.parent?.localName ?? "the document")")
            }
            guard !signatures.contains(where: { $0.signedElement.node == parent.node }) else {
                throw .signatureMisplaced("more than one Signature on the \(parent.localName)")
            }
            signatures.append(EnvelopedSignature(signature: signature, signedElement: parent))
        }
        guard !signatures.isEmpty else { throw .unsigned }
        self.response = root
        self.assertion = assertion
        self.signatures = signatures
    }

    /// Registers the element's `ID` attribute as an XML ID, the only way a `#ID` Reference resolves.
    private static func registerID(of element: XMLElementNode) throws(SAMLRejection) {
        guard let attribute = element.attributeNode(.id), let value = element.attribute(.id), !value.isEmpty else {
            throw .missingID(element.localName)
        }
        let registered = Array(value.utf8CString).withUnsafeBufferPointer { characters in
            characters.withMemoryRebound(to: xmlChar.self) {
                xmlAddID(nil, element.tree.document, $0.baseAddress, attribute)
            }
        }
        guard registered != nil else { throw .duplicateID(value) }
    }
}
