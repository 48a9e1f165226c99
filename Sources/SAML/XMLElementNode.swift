import CXMLSec

/// An element of an `XMLTree`, read-only, keeping its tree alive. Names are matched with their namespace URI, and
/// text is read whole, so neither a prefix trick nor a comment splitting a value changes what is read.
struct XMLElementNode {
    let node: xmlNodePtr
    let tree: XMLTree

    var localName: String { String(cString: node.pointee.name) }
    var namespaceURI: String? { node.pointee.ns?.pointee.href.map { String(cString: $0) } }

    func isNamed(_ name: QualifiedName) -> Bool {
        localName == name.local && namespaceURI == name.namespace.rawValue
    }

    var parent: XMLElementNode? {
        guard let parent = node.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return XMLElementNode(node: parent, tree: tree)
    }

    /// An unqualified attribute's value (SAML's own attributes carry no namespace).
    func attribute(_ name: SAMLAttributeName) -> String? {
        attributeNode(name).map { Self.text(of: $0.pointee.children) }
    }

    /// The attribute node itself, for registering it as an ID.
    func attributeNode(_ name: SAMLAttributeName) -> xmlAttrPtr? {
        var property = node.pointee.properties
        while let current = property {
            if current.pointee.ns == nil, String(cString: current.pointee.name) == name.rawValue { return current }
            property = current.pointee.next
        }
        return nil
    }

    var childElements: [XMLElementNode] {
        var elements: [XMLElementNode] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { elements.append(XMLElementNode(node: current, tree: tree)) }
            child = current.pointee.next
        }
        return elements
    }

    func children(_ name: QualifiedName) -> [XMLElementNode] {
        childElements.filter { $0.isNamed(name) }
    }

    /// The child of that name when there is at most one: a second Issuer, Subject or Conditions would leave it open
    /// which one a reader uses, so it is refused.
    func single(_ name: QualifiedName) throws(SAMLRejection) -> XMLElementNode? {
        let found = children(name)
        guard found.count <= 1 else { throw .malformedElement("\(found.count) \(name) elements in \(localName)") }
        return found.first
    }

    func required(_ name: QualifiedName) throws(SAMLRejection) -> XMLElementNode {
        guard let found = try single(name) else { throw .missingElement("\(name) in \(localName)") }
        return found
    }

    /// Every element below this one (not itself), in document order.
    var descendants: [XMLElementNode] {
        childElements.flatMap { [$0] + $0.descendants }
    }

    func descendants(_ name: QualifiedName) -> [XMLElementNode] {
        descendants.filter { $0.isNamed(name) }
    }

    /// The element's whole text: every text and CDATA child joined, comments and processing instructions skipped.
    /// Exclusive canonicalization drops comments, so a comment inside a signed value splits its text nodes without
    /// breaking the signature; reading only the first text node would truncate the value the IdP signed
    /// (`admin@example.com<!---->.evil.test` must read as the whole name). Element content is refused.
    func text() throws(SAMLRejection) -> String {
        var child = node.pointee.children
        while let current = child {
            let type = current.pointee.type
            guard
                type == XML_TEXT_NODE || type == XML_CDATA_SECTION_NODE || type == XML_COMMENT_NODE
                    || type == XML_PI_NODE
            else { throw .malformedElement("\(localName) holds markup, not text") }
            child = current.pointee.next
        }
        return Self.text(of: node.pointee.children)
    }

    private static func text(of first: xmlNodePtr?) -> String {
        var bytes: [UInt8] = []
        var child = first
        while let current = child {
            let type = current.pointee.type
            if type == XML_TEXT_NODE || type == XML_CDATA_SECTION_NODE, let content = current.pointee.content {
                var cursor = content
                while cursor.pointee != 0 {
                    bytes.append(cursor.pointee)
                    cursor += 1
                }
            }
            child = current.pointee.next
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
