import ArgumentParser
import Broker
import Foundation
import HoopCore
import Logging

/// `hoopctl broker pubkey [--vkey]`: the audit public key auditors pin to verify exported evidence offline, or the
/// same key as the verifier key of the broker's log, which witnesses are configured with.
struct BrokerPubkeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pubkey",
        abstract: "Print the broker's audit public key (creating the key if this is a new data directory)."
    )

    @OptionGroup var options: BrokerConfigOption
    @OptionGroup var output: PlainOutputOption

    @Flag(name: .long, help: "Print the log's verifier key (origin+keyid+key) for `hoopctl witness serve --log`.")
    var vkey = false

    func run() async throws {
        let config = try loadBrokerConfig(options.config)
        let keys = try BrokerKeys.loadOrCreate(in: config.dataDir, audit: config.evidence.auditKey)
        guard vkey else {
            show("audit_public_key", keys.auditPublicKeyText)
            return
        }
        try FileManager.default.createDirectory(at: config.dataDir, withIntermediateDirectories: true)
        let store = try await StoreFactory.open(config, logger: Logger(label: "hoopctl.pubkey"))
        let proposed = config.evidence.logOrigin ?? LogOrigin.generated()
        let origin: String
        do {
            origin = try await store.logOrigin(proposed: proposed)
            await store.close()
        } catch {
            await store.close()
            throw error
        }
        show("verifier_key", keys.auditPublicKey.noteKey(origin: origin).text)
    }

    /// The key alone on a line (what auditors and witnesses paste), or `{name: key}` with --output json.
    private func show(_ name: String, _ key: String) {
        let console = output.console
        if console.isJSON { console.json([name: key]) } else { console.line(key) }
    }
}
