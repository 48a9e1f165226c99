import ArgumentParser
import Broker

/// `hoopctl broker pubkey`: the audit public key auditors pin to verify exported evidence offline.
struct BrokerPubkeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pubkey",
        abstract: "Print the broker's audit public key (creating the key if this is a new data directory)."
    )

    @OptionGroup var options: BrokerConfigOption

    func run() throws {
        let config = try loadBrokerConfig(options.config)
        print(try BrokerKeys.loadOrCreate(in: config.dataDir, audit: config.evidence.auditKey).auditPublicKeyText)
    }
}
