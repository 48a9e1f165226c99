import ArgumentParser
import Broker
import HoopCore

/// `hoopctl broker rotate-audit-key`: run while the broker is stopped.
struct BrokerRotateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-audit-key",
        abstract: "Replace the audit signing key; the old key signs the hand-over. Stop the broker first.",
        discussion: """
            Checkpoints the log with the old key, appends an audit.key_rotated event signed by the old key, \
            installs a new key and checkpoints again with it. Exported bundles carry the rotation, so a verifier \
            that trusts the old public key follows it to the new one. Publish the new key (printed here and by \
            `hoopctl broker pubkey`) to auditors.
            """
    )

    @OptionGroup var options: BrokerConfigOption
    @OptionGroup var output: PlainOutputOption

    func run() async throws {
        let config = try loadBrokerConfig(options.config)
        guard config.evidence.auditKey == .dataDir else {
            throw Console.failure(
                .error,
                "the audit key lives outside the data dir (audit.signing_key_* or audit.signing_command): rotate it "
                    + "where it lives; this command rotates only the data dir's own key")
        }
        let keys = try await AuditKeyRotation.rotate(config: config, actor: "operator")
        let console = output.console
        guard !console.isJSON else {
            console.json(["old_audit_key": keys.old, "new_audit_key": keys.new])
            return
        }
        console.line("old audit key: \(keys.old)")
        console.line("new audit key: \(keys.new)")
    }
}
