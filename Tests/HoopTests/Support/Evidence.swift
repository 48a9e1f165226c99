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

    /// All bytes recorded in one direction, concatenated.
    static func bytes(_ events: [RecordingEvent], _ direction: RecordingDirection) -> Data {
        var data = Data()
        for event in events where event.kind == .data && event.dir == direction {
            data.append(Data(base64Encoded: event.data ?? "") ?? Data())
        }
        return data
    }
}
