import Crypto
public import Foundation

/// The broker's two signing identities: the audit key signs checkpoints (its public half is what auditors trust),
/// the grant key signs session grants. Kept apart so rotating one never invalidates the other.
public struct BrokerKeys: Sendable {
    let audit: Curve25519.Signing.PrivateKey
    let grant: Curve25519.Signing.PrivateKey

    public static func loadOrCreate(in dataDir: URL) throws -> BrokerKeys {
        let directory = dataDir.appendingPathComponent("keys")
        return BrokerKeys(
            audit: try KeyFile.loadOrCreate(directory.appendingPathComponent("audit-ed25519.key")),
            grant: try KeyFile.loadOrCreate(directory.appendingPathComponent("grant-ed25519.key"))
        )
    }

    /// The audit public key as `ed25519:<base64>`, the form `hoopctl broker pubkey` prints.
    public var auditPublicKeyText: String {
        "ed25519:" + audit.publicKey.rawRepresentation.base64EncodedString()
    }
}
