import ArgumentParser
import Broker
import Foundation
import HoopCore
import Logging

/// `hoopctl broker audit`: the operator's view of the audit log, read from the broker's own store and verified
/// link by link. Auditors use `hoopctl audit export` / `audit verify` instead, which need no access to the host.
struct BrokerAuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print the broker's audit log and verify its leaves and signed checkpoints."
    )

    @OptionGroup var options: BrokerConfigOption

    @Option(name: .long, help: "Print events from this sequence number on.")
    var from: Int64 = 1

    @Option(name: .long, help: "Output format: text or json (one event per line).")
    var output: LogFormat = .text

    func run() async throws {
        let config = try loadBrokerConfig(options.config)
        if case .embedded = config.store {
            // Opening the embedded store would create an empty one; a missing file is the operator's mistake.
            let database = StoreFactory.embeddedPath(dataDir: config.dataDir)
            guard FileManager.default.fileExists(atPath: database.path) else {
                throw Console.failure(
                    .error, "no broker store at \(database.path); start the broker once to create it")
            }
        }
        // The configured store, the shared PostgreSQL database included: the log every broker appends to.
        let store = try await StoreFactory.open(config, logger: Logger(label: "hoopctl.broker-audit"))
        do {
            try await check(store, config: config)
            await store.close()
        } catch {
            await store.close()
            throw error
        }
    }

    private func check(_ store: any Store, config: BrokerConfig) async throws {
        let events = try await store.auditEvents(from: 1, limit: Int.max)
        let encoder = HoopJSON.encoder()
        for event in events where event.seq >= from {
            switch output {
            case .json:
                Console.output(try encoder.encode(event) + [UInt8(ascii: "\n")])
            case .text:
                let target = [event.resource, event.session].compactMap { $0 }.joined(separator: " ")
                Console.output(
                    "\(event.seq)\t\(event.time)\t\(event.decision.rawValue)\t\(event.action)\t\(event.actor)\t"
                        + "\(target)\t\(CanonicalJSON.string(event.details))\n"
                )
            }
        }
        if let broken = AuditLeafVerifier.verify(events) {
            Console.diagnostic("hoopctl: \(broken.description)\n")
            throw ExitCode(ExitStatus.error.rawValue)
        }
        // A log rewritten end to end still hashes consistently; its signed checkpoints are what it cannot forge.
        let checkpoints = try await store.checkpoints(fromSize: 0)
        let current = try BrokerKeys.auditSigner(config.evidence.auditKey, dataDir: config.dataDir).auditPublicKey
        let origin = try await store.logOrigin(proposed: config.evidence.logOrigin ?? LogOrigin.generated())
        if let problem = BrokerEvidence.checkCheckpoints(
            checkpoints.map { ($0.note, $0.checkpoint.size) }, events: events, origin: origin, currentKey: current)
        {
            Console.diagnostic("hoopctl: \(problem)\n")
            throw ExitCode(ExitStatus.error.rawValue)
        }
        if output == .text {
            print(
                "audit log intact: \(origin), \(events.count) events, root "
                    + "\(MemoryMerkleTree(leaves: events.map(\.leafHash)).root.hex), "
                    + "\(checkpoints.count) signed checkpoints verified")
        }
    }
}
