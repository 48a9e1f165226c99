import Foundation
import HoopCore

@testable import Broker

/// Reads what a broker process left on disk, the way an operator or auditor would.
enum Evidence {
    static func auditEvents(_ broker: BrokerProcess) async throws -> [AuditEvent] {
        let store = try SQLiteStore(path: broker.dataDir.appendingPathComponent("broker.db"))
        return try await store.auditEvents(from: 1, limit: 100_000)
    }

    /// The session's recording, after checking every hash link.
    static func recording(_ broker: BrokerProcess, session: String) throws -> [RecordingEvent] {
        let url = broker.dataDir.appendingPathComponent("recordings/\(session).jsonl")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        let events = try lines.map { try JSONDecoder().decode(RecordingEvent.self, from: Data($0.utf8)) }
        var prev = HashChain.genesis
        for event in events {
            guard event.prev == prev, event.computeHash() == event.hash else {
                throw PeerError("recording \(session) broken at seq \(event.seq)")
            }
            prev = event.hash
        }
        return events
    }

    /// Writes the broker's audit public key, as `hoopctl broker pubkey` publishes it, to `audit.pub` beside the
    /// broker, and returns the path: what an auditor passes to `audit verify --pubkey`.
    static func publishedKey(_ broker: BrokerProcess) async throws -> String {
        let path = broker.directory.appendingPathComponent("audit.pub").path
        let published = try await ChildProcess.run(
            TestEnvironment.hoopctl, ["broker", "pubkey", "--config", broker.configFile.path])
        try published.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `auditor` exports the whole trail to `bundle` beside the broker and verifies it offline against the
    /// published key (`--output json`); the caller judges both runs.
    static func exportAndVerify(_ broker: BrokerProcess, auditor: ClientCLI) async throws -> (
        export: (status: Int32, stdout: String, stderr: String), verify: (status: Int32, stdout: String, stderr: String)
    ) {
        let bundle = broker.directory.appendingPathComponent("bundle").path
        let export = try await auditor.run(["audit", "export", "--out", bundle])
        let pubkey = try await publishedKey(broker)
        let verify = try await auditor.run(["audit", "verify", bundle, "--pubkey", pubkey, "--output", "json"])
        return (export, verify)
    }

    /// All bytes recorded in one direction, concatenated.
    static func bytes(_ events: [RecordingEvent], _ direction: RecordingDirection) -> Data {
        var data = Data()
        for event in events where event.kind == .data && event.dir == direction {
            data.append(Data(base64Encoded: event.data ?? "") ?? Data())
        }
        return data
    }
}
