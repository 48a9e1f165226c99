import CSodium
import Crypto

/// libsodium must be initialised once before use; a global is initialised once, thread-safely, on first use.
private let sodiumInitialized: Bool = sodium_init() >= 0

extension MySQLAuth {
    /// MariaDB's client_ed25519: an Ed25519 signature of the server's nonce, with a key derived from the password.
    ///
    /// Standard Ed25519 expands a 32-byte seed with SHA-512; this plugin expands the password itself, so
    /// az = SHA-512(password), its first half clamped is the secret scalar s and its second half the nonce prefix.
    /// Then A = sB, r = SHA-512(az[32..<64] || message) mod L, R = rB, k = SHA-512(R || A || message) mod L, and
    /// the signature is R || (r + k·s mod L). The server keeps only A, as `ed25519_password(password)` shows.
    package static func mariaDBEd25519Sign(password: String, message: [UInt8]) -> [UInt8] {
        precondition(sodiumInitialized, "libsodium failed to initialise")
        let expanded = expandedPassword(password)
        let secret = Array(expanded[0..<32])
        let publicKey = baseMultiple(secret)
        let nonce = reduce(Array(SHA512.hash(data: expanded[32..<64] + message)))
        let commitment = baseMultiple(nonce)
        let challenge = reduce(Array(SHA512.hash(data: commitment + publicKey + message)))
        var product = [UInt8](repeating: 0, count: 32)
        crypto_core_ed25519_scalar_mul(&product, challenge, secret)
        var response = [UInt8](repeating: 0, count: 32)
        crypto_core_ed25519_scalar_add(&response, product, nonce)
        return commitment + response
    }

    /// The public key a MariaDB ed25519 account stores for this password (base64 of it is what
    /// `ed25519_password()` returns and `IDENTIFIED VIA ed25519 USING` takes).
    package static func mariaDBEd25519PublicKey(password: String) -> [UInt8] {
        precondition(sodiumInitialized, "libsodium failed to initialise")
        return baseMultiple(Array(expandedPassword(password)[0..<32]))
    }

    /// SHA-512 of the password with the secret half clamped as Ed25519 requires: a multiple of the cofactor 8,
    /// below 2^255, with bit 254 set.
    private static func expandedPassword(_ password: String) -> [UInt8] {
        var expanded = Array(SHA512.hash(data: Array(password.utf8)))
        expanded[0] &= 248
        expanded[31] &= 63
        expanded[31] |= 64
        return expanded
    }

    /// nB for a scalar already in the form wanted (clamped or reduced), without libsodium clamping it again.
    private static func baseMultiple(_ scalar: [UInt8]) -> [UInt8] {
        var point = [UInt8](repeating: 0, count: 32)
        // Fails only for a zero scalar, which neither a clamped secret nor (but with negligible probability) a
        // reduced hash is.
        _ = crypto_scalarmult_ed25519_base_noclamp(&point, scalar)
        return point
    }

    /// A 64-byte hash reduced modulo the group order L.
    private static func reduce(_ wide: [UInt8]) -> [UInt8] {
        var scalar = [UInt8](repeating: 0, count: 32)
        crypto_core_ed25519_scalar_reduce(&scalar, wide)
        return scalar
    }
}
