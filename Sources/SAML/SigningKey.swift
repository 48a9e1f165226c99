import CXMLSec
import Foundation

/// An xmlsec key made from one DER certificate of the IdP's metadata: the public key only, never a certificate
/// found in the message (xmlsec is handed this key, so it does not read the message's KeyInfo at all).
final class SigningKey {
    private(set) var key: xmlSecKeyPtr?

    /// xmlsec's sizes are `unsigned int` here (Debian builds it with XMLSEC_NO_SIZE_T), hence the UInt32.
    init(certificate der: Data) throws(SAMLRejection) {
        try XMLSecurityLibrary.ensureInitialized()
        key = der.withUnsafeBytes { bytes in
            xmlSecOpenSSLAppKeyLoadMemory(
                bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(bytes.count),
                xmlSecKeyDataFormatCertDer, nil, nil, nil)
        }
        guard key != nil else { throw .invalidCertificate("not a DER X.509 certificate with an RSA or EC key") }
    }

    deinit {
        if let key { xmlSecKeyDestroy(key) }
    }

    /// Hands the key over to an xmlsec context, which destroys it with itself.
    func take() -> xmlSecKeyPtr? {
        defer { key = nil }
        return key
    }
}
