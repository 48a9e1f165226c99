import HoopCore
import Testing
import Witness

/// What the witness keeps of a log's signed checkpoints it refused: the log's own signed word, which may prove it
/// misbehaved, kept without letting replays grow the store.
@Suite("Witness: refused signed checkpoints are kept as evidence")
struct WitnessEvidenceTests {
    @Test("every refusal after the signature check is recorded with its reason, note, old and cosigned sizes")
    func refusalsRecorded() async throws {
        let log = SimulatedLog(leaves: 16)
        let forked = try log.fork(divergingAt: 2, leaves: 16)
        let witness = try WitnessFixture(trusting: [log.vkey])
        _ = try await witness.cosign(try log.request(old: 0, size: 9))
        let attempts = [
            try forked.request(old: 9, size: 9),  // fork
            try forked.request(old: 9, size: 14),  // inconsistent proof
            try log.request(old: 5, size: 5),  // stale old
            try log.request(old: 12, size: 10),  // old beyond size
        ]
        for attempt in attempts {
            _ = try await witness.refusal(attempt)
        }
        let records = try await witness.store.refusals(origin: log.origin)
        #expect(records.map(\.reason) == [.fork, .inconsistentProof, .staleOld, .oldBeyondSize])
        #expect(records.map(\.note) == attempts.map(\.note.serialized))
        #expect(records.map(\.oldSize) == [9, 9, 5, 12])
        #expect(records.allSatisfy { $0.cosignedSize == 9 && $0.occurrences == 1 && $0.origin == log.origin })
        // A recorded note still verifies under the log's key: it is evidence anyone can check.
        for record in records {
            let note = try SignedNote(parsing: record.note)
            #expect(throws: Never.self) { try LogCheckpoint(note: note, logKey: log.key.auditPublicKey) }
        }
    }

    @Test("replaying a refused checkpoint, even with junk signature lines added, counts it instead of adding a row")
    func replaysAreCounted() async throws {
        let log = SimulatedLog(leaves: 16)
        let forked = try log.fork(divergingAt: 2, leaves: 16)
        let witness = try WitnessFixture(trusting: [log.vkey])
        _ = try await witness.cosign(try log.request(old: 0, size: 9))
        for junk in 0..<5 {
            var replay = try forked.request(old: 9, size: 9)
            replay.note.signatures.append(
                NoteSignature(name: "junk.example/\(junk)", keyID: [0, 0, 0, UInt8(junk)], payload: [1, 2, 3]))
            _ = try await witness.refusal(replay)
        }
        let records = try await witness.store.refusals(origin: log.origin)
        #expect(records.count == 1)
        #expect(records.first?.occurrences == 5)
        #expect(try #require(records.first).lastRefusedAt >= records[0].firstRefusedAt)
    }

    @Test("the cosigned state survives reopening the store")
    func statePersists() async throws {
        let log = SimulatedLog(leaves: 16)
        let witness = try WitnessFixture(trusting: [log.vkey])
        _ = try await witness.cosign(try log.request(old: 0, size: 13))
        let reopened = try WitnessStore(path: WitnessDataDir(witness.directory).storeFile)
        #expect(
            try await reopened.cosigned(origin: log.origin)
                == CosignedState(size: 13, root: log.tree.rootHash(size: 13)))
    }
}
