import Crypto
import CryptoExtras
import Synchronization

/// Remembers SCRAM salted passwords, so a broker logging in to the same target again does not redo thousands of
/// PBKDF2 rounds per connection (it was the largest CPU cost of opening one; pgbouncer caches the same way).
///
/// A salted password is tied to the password, the server's salt and its iteration count, which form the key (the
/// password only as a SHA-256 digest). The cache holds what a login would compute anyway and never leaves the
/// process; a changed password or salt simply misses.
final class SCRAMKeyCache: Sendable {
    static let shared = SCRAMKeyCache()

    private struct Key: Hashable {
        var password: [UInt8]
        var salt: [UInt8]
        var iterations: Int
    }

    private let entries = Mutex<[Key: SymmetricKey]>([:])
    /// Targets times password rotations: small. Past it the cache starts over rather than growing.
    private let capacity = 256

    /// The salted password for `password` with `salt` and `iterations`, derived on the first request only.
    func saltedPassword(_ password: String, salt: [UInt8], iterations: Int) throws -> SymmetricKey {
        let key = Key(password: Array(SHA256.hash(data: Array(password.utf8))), salt: salt, iterations: iterations)
        if let known = entries.withLock({ $0[key] }) { return known }
        let derived = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8),
            salt: salt,
            using: .sha256,
            outputByteCount: 32,
            unsafeUncheckedRounds: iterations
        )
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll() }
            entries[key] = derived
        }
        return derived
    }
}
