import CryptoExtras
import Foundation

/// The server's RSA public key for caching_sha2_password's full authentication, behind the one operation the
/// protocol needs, so the rest of the module does not depend on `_CryptoExtras`'s spelling.
struct RSAPublicKey {
    private let key: _RSA.Encryption.PublicKey

    /// Reads a PEM public key ("BEGIN PUBLIC KEY" or "BEGIN RSA PUBLIC KEY"). Keys under 2048 bits are refused:
    /// a password encrypted to a weak key is as good as sent in the clear.
    init(pemRepresentation: String) throws {
        key = try _RSA.Encryption.PublicKey(pemRepresentation: pemRepresentation)
    }

    func encryptOAEPSHA1(_ plaintext: [UInt8]) throws -> [UInt8] {
        Array(try key.encrypt(plaintext, padding: .PKCS1_OAEP))
    }
}
