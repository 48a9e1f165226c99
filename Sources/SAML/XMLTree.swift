import CXMLSec
import Foundation

/// One XML document parsed by libxml2, freed with this object. Built only by `parse`, which refuses what a SAML
/// message or metadata never needs and an attacker would want: a DOCTYPE (entity expansion, external DTDs, XXE) and
/// any network access.
final class XMLTree {
    let document: xmlDocPtr

    private init(document: xmlDocPtr) {
        self.document = document
    }

    deinit {
        xmlFreeDoc(document)
    }

    /// The document element.
    var root: XMLElementNode {
        // `parse` refuses a document without one.
        XMLElementNode(node: xmlDocGetRootElement(document)!, tree: self)
    }

    /// Parses `data`. A DOCTYPE is refused before libxml2 sees the bytes and again after parsing (for an encoding
    /// that hides the ASCII bytes), and entities are never substituted (no XML_PARSE_NOENT) or loaded
    /// (XML_PARSE_NONET, and the process's entity loader answers nothing).
    static func parse(_ data: Data) throws(SAMLRejection) -> XMLTree {
        try XMLSecurityLibrary.ensureInitialized()
        for marker in ["<!DOCTYPE", "<!ENTITY"] where data.firstRange(of: Data(marker.utf8)) != nil {
            throw .doctypeNotAllowed
        }
        guard data.count < Int32.max else { throw .tooLarge(bytes: data.count, limit: Int(Int32.max)) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        xmlResetLastError()
        let parsed = data.withUnsafeBytes { bytes in
            xmlReadMemory(bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil, nil, options)
        }
        guard let parsed else {
            let message = xmlGetLastError()?.pointee.message.map { String(cString: $0) } ?? "unparseable"
            throw .malformedXML(message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let tree = XMLTree(document: parsed)
        if parsed.pointee.intSubset != nil || parsed.pointee.extSubset != nil { throw .doctypeNotAllowed }
        guard xmlDocGetRootElement(parsed) != nil else { throw .malformedXML("no document element") }
        return tree
    }
}
