package import Crypto

/// Whatever signs evidence with the audit key: a key the broker holds in memory, or a signer outside the broker's
/// reach (an external command in front of an HSM or a KMS), so that whoever can read the broker's data dir cannot
/// sign for it. Every signed statement goes through this one door.
package protocol EvidenceSigner: Sendable {
    /// The public half auditors pin; every signature must verify under it.
    var auditPublicKey: AuditPublicKey { get }

    /// The Ed25519 signature over `message`, raw 64 bytes.
    func signature(over message: [UInt8]) throws -> [UInt8]
}

extension Curve25519.Signing.PrivateKey: EvidenceSigner {
    package var auditPublicKey: AuditPublicKey { AuditPublicKey(publicKey) }

    package func signature(over message: [UInt8]) throws -> [UInt8] {
        Array(try signature(for: message))
    }
}
