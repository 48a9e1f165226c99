import Crypto
package import Foundation
package import HoopCore
import Masking

/// The broker's keys: the audit key signs checkpoints (its public half is what auditors trust), the grant key signs
/// session grants, the login key signs the broker's own login tokens (after a SAML login), and the masking key makes
/// `hash` masking tokens stable across sessions yet unguessable to anyone without it. Kept apart so rotating one
/// never invalidates the others. The audit key may live outside the data dir (`AuditKeySource`); the others are
/// the broker's own working secrets.
package struct BrokerKeys: Sendable {
    let audit: any EvidenceSigner

    /// The audit key's public half.
    package var auditPublicKey: AuditPublicKey { audit.auditPublicKey }
    let grant: Curve25519.Signing.PrivateKey
    let masking: MaskingKey
    /// Signs the broker's own login tokens (`LoginTokenIssuer`), given after a SAML login.
    let login: Curve25519.Signing.PrivateKey

    package static func loadOrCreate(in dataDir: URL, audit source: AuditKeySource = .dataDir) throws -> BrokerKeys {
        let directory = dataDir.appendingPathComponent("keys")
        return BrokerKeys(
            audit: try auditSigner(source, dataDir: dataDir),
            grant: try KeyFile.loadOrCreate(directory.appendingPathComponent("grant-ed25519.key")),
            masking: MaskingKey(
                bytes: try KeyFile.loadOrCreateSecret(directory.appendingPathComponent("masking-hmac.key"))),
            login: try KeyFile.loadOrCreate(directory.appendingPathComponent("login-ed25519.key"))
        )
    }

    /// The audit signer for `source`, proven to work now: a signer that cannot sign stops the broker at start
    /// rather than at its first checkpoint.
    package static func auditSigner(_ source: AuditKeySource, dataDir: URL) throws -> any EvidenceSigner {
        let signer: any EvidenceSigner
        switch source {
        case .dataDir:
            signer = try KeyFile.loadOrCreate(auditKeyURL(in: dataDir))
        case .secret(let reference):
            let text: String
            do {
                text = try reference.resolve()
            } catch {
                throw BrokerSetupError(path: "audit signing key", problem: "unavailable: \(error)")
            }
            signer = try KeyFile.parse(text, source: "audit signing key (\(reference.label))")
        case .command(let arguments, let publicKey):
            signer = CommandSigner(arguments: arguments, auditPublicKey: publicKey)
        }
        let probe = Array("hoop audit signer check".utf8)
        let signature = try signer.signature(over: probe)
        guard signer.auditPublicKey.isValidSignature(Data(signature).base64EncodedString(), for: probe) else {
            throw BrokerSetupError(path: "audit signing key", problem: "signs with a key that does not match its own")
        }
        return signer
    }

    static func auditKeyURL(in dataDir: URL) -> URL {
        dataDir.appendingPathComponent("keys/audit-ed25519.key")
    }

    /// The audit public key as `ed25519:<base64>`, the form `hoopctl broker pubkey` prints.
    package var auditPublicKeyText: String {
        audit.auditPublicKey.text
    }
}
