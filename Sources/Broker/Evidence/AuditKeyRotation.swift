import Crypto
package import Foundation
import HoopCore
import Logging

/// Replaces the broker's audit key while the broker is stopped, without breaking what auditors can verify: the
/// tree head is checkpointed with the old key, the rotation is appended as an audit event signed by the old key
/// over that head, the new key takes over, and the head (now ending in the rotation event) is checkpointed with
/// the new key. The old key
/// file is kept beside the new one, renamed, so earlier checkpoints stay attributable.
package enum AuditKeyRotation {
    /// Returns the old and new public keys as `ed25519:<base64>`.
    package static func rotate(config: BrokerConfig, actor: String, now: Date = Date()) async throws -> (
        old: String, new: String
    ) {
        let logger = Logger(label: "hoopctl.rotate")
        let store = try await StoreFactory.open(config, logger: logger)
        do {
            let keys = try await rotate(store: store, dataDir: config.dataDir, actor: actor, now: now, logger: logger)
            await store.close()
            return keys
        } catch {
            await store.close()
            throw error
        }
    }

    private static func rotate(store: any Store, dataDir: URL, actor: String, now: Date, logger: Logger) async throws
        -> (old: String, new: String)
    {
        let keys = try BrokerKeys.loadOrCreate(in: dataDir, audit: .dataDir)
        let origin = try await store.logOrigin(proposed: LogOrigin.generated())
        let old = AuditCheckpointer(
            origin: origin, store: store, key: keys.audit, everyEvents: 1, interval: 0, logger: logger)
        try await old.checkpoint(force: true, now: now)
        let head = try await store.treeHead()
        let newKey = Curve25519.Signing.PrivateKey()
        let draft = try KeyRotation.auditDraft(
            actor: actor, afterSeq: head.size, afterHash: head.root.hex, oldKey: keys.audit,
            newKey: AuditPublicKey(newKey.publicKey))
        _ = try await store.appendAudit(draft, at: now)
        let file = BrokerKeys.auditKeyURL(in: dataDir)
        let retired = file.deletingLastPathComponent()
            .appendingPathComponent("audit-ed25519.retired-\(Int(now.timeIntervalSince1970)).key")
        try FileManager.default.moveItem(at: file, to: retired)
        try SecureFile.write(Data((newKey.rawRepresentation.base64EncodedString() + "\n").utf8), to: file)
        let new = AuditCheckpointer(
            origin: origin, store: store, key: newKey, everyEvents: 1, interval: 0, logger: logger)
        try await new.checkpoint(force: true, now: now)
        return (keys.auditPublicKeyText, AuditPublicKey(newKey.publicKey).text)
    }
}
