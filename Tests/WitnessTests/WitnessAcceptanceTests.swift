import Foundation
import HoopCore
import Testing
import Witness

/// What an honest log gets: a cosignature a client can verify, and a witness that moves forward with it.
@Suite("Witness: an honest log's checkpoints are cosigned")
struct WitnessAcceptanceTests {
    @Test("the first submission (old 0, no proof) is cosigned and the cosignature verifies under the witness vkey")
    func firstSubmission() async throws {
        let log = SimulatedLog(leaves: 5)
        let witness = try WitnessFixture(trusting: [log.vkey])
        let before = UInt64(Date().timeIntervalSince1970)
        let request = try log.request(old: 0, size: 5)
        let line = try await witness.cosign(request)

        #expect(line.name == witness.identity.vkey.name)
        #expect(line.keyID == witness.identity.vkey.keyID)
        #expect(witness.identity.vkey.kind == .cosignature)
        let cosignature = try #require(try Cosignature.find(by: witness.identity.vkey, on: request.note.adding(line)))
        #expect(cosignature.timestamp >= before && cosignature.timestamp <= UInt64(Date().timeIntervalSince1970))
        #expect(
            try await witness.store.cosigned(origin: log.origin)
                == CosignedState(size: 5, root: log.tree.rootHash(size: 5)))
    }

    @Test("a cosignature does not verify on another checkpoint of the same log")
    func cosignatureBindsItsCheckpoint() async throws {
        let log = SimulatedLog(leaves: 6)
        let witness = try WitnessFixture(trusting: [log.vkey])
        let line = try await witness.cosign(try log.request(old: 0, size: 5))
        #expect(throws: EvidenceFormatError.self) {
            try Cosignature.find(by: witness.identity.vkey, on: try log.note(size: 6).adding(line))
        }
    }

    @Test(
        "valid extensions with their consistency proofs are cosigned in turn",
        arguments: [[1, 2, 3, 4], [3, 8, 9, 21], [16, 17, 32]])
    func extensions(sizes: [Int64]) async throws {
        let log = SimulatedLog(leaves: 40)
        let witness = try WitnessFixture(trusting: [log.vkey])
        var old: Int64 = 0
        for size in sizes {
            let request = try log.request(old: old, size: size)
            let line = try await witness.cosign(request)
            #expect(try Cosignature.find(by: witness.identity.vkey, on: request.note.adding(line)) != nil)
            old = size
        }
        #expect(try await witness.store.cosigned(origin: log.origin).size == sizes.last)
    }

    @Test("the cosigned checkpoint submitted again (old = size, same root, no proof) is cosigned again")
    func sameCheckpointAgain() async throws {
        let log = SimulatedLog(leaves: 7)
        let witness = try WitnessFixture(trusting: [log.vkey])
        _ = try await witness.cosign(try log.request(old: 0, size: 7))
        _ = try await witness.cosign(try log.request(old: 7, size: 7))
        #expect(try await witness.store.cosigned(origin: log.origin).size == 7)
        #expect(try await witness.store.refusals(origin: log.origin).isEmpty)
    }

    @Test("the empty tree's checkpoint (size 0, root SHA-256 of nothing) is cosigned")
    func emptyTree() async throws {
        let log = SimulatedLog(leaves: 0)
        let witness = try WitnessFixture(trusting: [log.vkey])
        _ = try await witness.cosign(try log.request(old: 0, size: 0))
        _ = try await witness.cosign(try log.request(old: 0, size: 0))
    }

    @Test("each of several trusted logs has its own state")
    func logsAreSeparate() async throws {
        let first = SimulatedLog(origin: "log.example/one", leaves: 9)
        let second = SimulatedLog(origin: "log.example/two", leaves: 9)
        let witness = try WitnessFixture(trusting: [first.vkey, second.vkey])
        _ = try await witness.cosign(try first.request(old: 0, size: 9))
        _ = try await witness.cosign(try second.request(old: 0, size: 3))
        #expect(try await witness.store.cosigned(origin: first.origin).size == 9)
        #expect(try await witness.store.cosigned(origin: second.origin).size == 3)
    }

    @Test("a log that rotated its key is accepted under either configured key")
    func rotatedLogKey() async throws {
        let old = SimulatedLog(leaves: 8)
        // The same leaves (they are numbered), another key.
        let rotated = SimulatedLog(origin: old.origin, leaves: 8)
        let witness = try WitnessFixture(trusting: [old.vkey, rotated.vkey])
        _ = try await witness.cosign(try old.request(old: 0, size: 4))
        _ = try await witness.cosign(try rotated.request(old: 4, size: 8))
    }
}
