import Foundation
package import HoopCore

/// Where the audit signing key lives. The default keeps it in the data dir (zero setup), which only protects the
/// evidence from people who cannot read that dir; the other sources keep it out of the broker's data dir
/// altogether, so whoever holds the store cannot re-sign a rewritten history.
package enum AuditKeySource: Sendable, Equatable {
    /// `keys/audit-ed25519.key` in the data dir, created on first start.
    case dataDir
    /// `audit.signing_key_file` or `audit.signing_key_env`: the base64 Ed25519 seed, read at start, never created.
    case secret(SecretReference)
    /// `audit.signing_command`: a program that signs what it reads on stdin (an HSM or KMS front end), answering
    /// the base64 Ed25519 signature on stdout; `audit.public_key` is the key its signatures must verify under.
    case command(arguments: [String], publicKey: AuditPublicKey)
}

extension ConfigNode {
    /// Reads the signing key's source from the `audit` mapping: at most one of `signing_key_file`,
    /// `signing_key_env`, or `signing_command` (with `public_key`).
    mutating func auditKeySource(base: URL) throws(ConfigError) -> AuditKeySource {
        let secret = try secretKeys("signing_key", base: base)
        let command = try stringList("signing_command")
        let publicKeyText = try string("public_key")
        switch (secret, command) {
        case (let (reference, _)?, nil):
            guard publicKeyText == nil else {
                throw ConfigError(
                    path: "\(path).public_key",
                    message: "only goes with signing_command (a key's public half is derived)")
            }
            return .secret(reference)
        case (nil, let arguments?):
            guard let program = arguments.first, program.hasPrefix("/") else {
                throw ConfigError(
                    path: "\(path).signing_command", message: "must list an absolute program path and its arguments")
            }
            guard let publicKeyText else {
                throw ConfigError(
                    path: "\(path).public_key",
                    message: "is required with signing_command: the ed25519:<base64> key its signatures verify under")
            }
            do {
                return .command(arguments: arguments, publicKey: try AuditPublicKey(text: publicKeyText))
            } catch {
                throw ConfigError(path: "\(path).public_key", message: error.description)
            }
        case (nil, nil):
            guard publicKeyText == nil else {
                throw ConfigError(path: "\(path).public_key", message: "only goes with signing_command")
            }
            return .dataDir
        case (.some, .some):
            throw ConfigError(
                path: "\(path).signing_command", message: "give signing_command or a signing key, not both")
        }
    }
}
