import CXMLSec
import Foundation

@testable import SAML

/// Signs the Signature templates in a test document with libxmlsec1, as an IdP (or an attacker holding some key)
/// would, so that attack variants can carry real signatures and the verifier is shown to check what it should.
enum TestSigner {
    enum Key {
        case pem(String)
        /// A raw HMAC secret, for the "HMAC keyed with something public" attack.
        case hmac([UInt8])
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Fills every `ds:Signature` template (empty DigestValue and SignatureValue) in `xml`, innermost last in the
    /// document first, so an enveloping Response signature covers an Assertion signature already made. IDs are
    /// registered on every `ID` attribute, as a careless signer would.
    static func sign(_ xml: String, with key: Key) throws -> String {
        try XMLSecurityLibrary.ensureInitialized()
        let bytes = Array(xml.utf8)
        guard let document = xmlReadMemory(bytes.map { CChar(bitPattern: $0) }, Int32(bytes.count), nil, nil, 0) else {
            throw Failure(description: "template is not XML")
        }
        defer { xmlFreeDoc(document) }
        let root = xmlDocGetRootElement(document)
        var idName: [xmlChar] = Array("ID".utf8) + [0]
        idName.withUnsafeMutableBufferPointer { name in
            var names: [UnsafePointer<xmlChar>?] = [UnsafePointer(name.baseAddress), nil]
            xmlSecAddIDs(document, root, &names)
        }
        for signature in signatures(below: root).reversed() {
            guard let context = xmlSecDSigCtxCreate(nil) else { throw Failure(description: "no context") }
            defer { xmlSecDSigCtxDestroy(context) }
            context.pointee.signKey = try load(key)
            guard xmlSecDSigCtxSign(context, signature) == 0 else { throw Failure(description: "signing failed") }
        }
        var output: UnsafeMutablePointer<xmlChar>?
        var length: Int32 = 0
        xmlDocDumpMemory(document, &output, &length)
        defer { hoop_xml_free(output) }
        guard let output else { throw Failure(description: "cannot serialise") }
        return String(decoding: UnsafeBufferPointer(start: output, count: Int(length)), as: UTF8.self)
    }

    private static func load(_ key: Key) throws -> xmlSecKeyPtr {
        let loaded: xmlSecKeyPtr?
        switch key {
        case .pem(let pem):
            let bytes = Array(pem.utf8)
            loaded = xmlSecOpenSSLAppKeyLoadMemory(bytes, UInt32(bytes.count), xmlSecKeyDataFormatPem, nil, nil, nil)
        case .hmac(let secret):
            loaded = xmlSecKeyReadMemory(xmlSecOpenSSLKeyDataHmacGetKlass(), secret, UInt32(secret.count))
        }
        guard let loaded else { throw Failure(description: "cannot load the signing key") }
        return loaded
    }

    private static func signatures(below node: xmlNodePtr?) -> [xmlNodePtr] {
        var found: [xmlNodePtr] = []
        var child = node?.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                let name = String(cString: current.pointee.name)
                let namespace = current.pointee.ns?.pointee.href.map { String(cString: $0) }
                if name == "Signature", namespace == "http://www.w3.org/2000/09/xmldsig#" { found.append(current) }
                found += signatures(below: current)
            }
            child = current.pointee.next
        }
        return found
    }
}
