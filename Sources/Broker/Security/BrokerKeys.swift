import Crypto
package import Foundation
import Masking

/// The broker's keys: the audit key signs checkpoints (its public half is what auditors trust), the grant key signs
/// session grants, and the masking key makes `hash` masking tokens stable across sessions yet unguessable to anyone
/// without it. Kept apart so rotating one never invalidates the others.
package struct BrokerKeys: Sendable {
    let audit: Curve25519.Signing.PrivateKey
    let grant: Curve25519.Signing.PrivateKey
    let masking: MaskingKey

    package static func loadOrCreate(in dataDir: URL) throws -> BrokerKeys {
        let directory = dataDir.appendingPathComponent("keys")
        return BrokerKeys(
            audit: try KeyFile.loadOrCreate(auditKeyURL(in: dataDir)),
            grant: try KeyFile.loadOrCreate(directory.appendingPathComponent("grant-ed25519.key")),
            masking: MaskingKey(
                bytes: try KeyFile.loadOrCreateSecret(directory.appendingPathComponent("masking-hmac.key")))
        )
    }

    static func auditKeyURL(in dataDir: URL) -> URL {
        dataDir.appendingPathComponent("keys/audit-ed25519.key")
    }

    /// The audit public key as `ed25519:<base64>`, the form `hoopctl broker pubkey` prints.
    package var auditPublicKeyText: String {
        "ed25519:" + audit.publicKey.rawRepresentation.base64EncodedString()
    }
}
