import CXMLSec

/// libxml2 and xmlsec are set up once per process, on first use: xmlsec's OpenSSL backend, silenced error output
/// (a refusal is reported as a `SAMLRejection`, not on stderr) and an external-entity loader that loads nothing.
enum XMLSecurityLibrary {
    private static let status: Int32 = hoop_xmlsec_initialize()

    static func ensureInitialized() throws(SAMLRejection) {
        guard status == 0 else { throw .libraryUnavailable("initialisation step \(-status) failed") }
    }
}
