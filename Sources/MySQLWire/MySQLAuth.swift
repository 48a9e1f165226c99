import Crypto

/// The password proofs of MySQL's and MariaDB's authentication plugins, for the broker logging in to a target (and
/// checking what a client sends it).
package enum MySQLAuth {
    /// mysql_native_password: SHA1(password) XOR SHA1(nonce + SHA1(SHA1(password))). The server stores
    /// SHA1(SHA1(password)), so it can check the proof without the password. An empty password sends an empty
    /// response.
    package static func nativePassword(password: String, nonce: [UInt8]) -> [UInt8] {
        guard !password.isEmpty else { return [] }
        let stage1 = Array(Insecure.SHA1.hash(data: Array(password.utf8)))
        let stage2 = Array(Insecure.SHA1.hash(data: stage1))
        let mask = Array(Insecure.SHA1.hash(data: nonce.prefix(20) + stage2))
        return zip(stage1, mask).map { $0 ^ $1 }
    }

    /// Checks a mysql_native_password response against the password, in time independent of where they differ.
    package static func verifyNativePassword(response: [UInt8], nonce: [UInt8], password: String) -> Bool {
        constantTimeEqual(response, nativePassword(password: password, nonce: nonce))
    }

    /// caching_sha2_password's fast-path proof: SHA256(password) XOR SHA256(SHA256(SHA256(password)) + nonce).
    package static func cachingSHA2Scramble(password: String, nonce: [UInt8]) -> [UInt8] {
        guard !password.isEmpty else { return [] }
        let stage1 = Array(SHA256.hash(data: Array(password.utf8)))
        let stage2 = Array(SHA256.hash(data: stage1))
        let mask = Array(SHA256.hash(data: stage2 + nonce.prefix(20)))
        return zip(stage1, mask).map { $0 ^ $1 }
    }

    /// Checks a caching_sha2_password fast-path proof against the password, in time independent of where they
    /// differ: what the broker accepts from a local client that starts with MySQL 8's default plugin.
    package static func verifyCachingSHA2Scramble(response: [UInt8], nonce: [UInt8], password: String) -> Bool {
        constantTimeEqual(response, cachingSHA2Scramble(password: password, nonce: nonce))
    }

    /// caching_sha2_password's (and sha256_password's) full authentication without TLS: the password and a NUL,
    /// XORed with the nonce repeated, encrypted to the server's RSA public key with OAEP (SHA-1, the padding
    /// MySQL 8 uses). The XOR binds the ciphertext to this connection's nonce, so it cannot be replayed.
    package static func cachingSHA2RSAEncrypt(password: String, nonce: [UInt8], publicKeyPEM: String)
        throws(MySQLLoginError) -> [UInt8]
    {
        guard !nonce.isEmpty else { throw .protocolViolation("the server sent an empty nonce") }
        let plain = Array(password.utf8) + [0]
        let masked = plain.indices.map { plain[$0] ^ nonce[$0 % nonce.count] }
        do {
            let key = try RSAPublicKey(pemRepresentation: publicKeyPEM)
            return try key.encryptOAEPSHA1(masked)
        } catch {
            throw .serverPublicKeyUnusable(String(describing: error))
        }
    }

    /// Compares two byte strings in time that depends only on their lengths.
    package static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) {
            difference |= left ^ right
        }
        return difference == 0
    }
}
