import HoopCore
import Testing
import Witness

/// The race tlog-witness warns of: submissions checked against the same state and recorded one after the other,
/// so the smaller one lands last and rolls the log back. Only one transaction for check and update prevents it.
@Suite("Witness: concurrent submissions cannot roll it back")
struct WitnessConcurrencyTests {
    @Test("of many submissions from the same old size, exactly one is cosigned and the rest see its size")
    func oneWinnerFromTheSameOld() async throws {
        let log = SimulatedLog(leaves: 40)
        let witness = try WitnessFixture(trusting: [log.vkey])
        _ = try await witness.cosign(try log.request(old: 0, size: 9))
        let sizes = Array(Int64(10)...40)
        let requests = try sizes.map { try log.request(old: 9, size: $0) }
        let outcomes = try await withThrowingTaskGroup(of: AddCheckpointOutcome.self) { group in
            for request in requests {
                group.addTask { try await witness.submit(request) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        var winners: [NoteSignature] = []
        for outcome in outcomes {
            if case .cosigned(let line) = outcome { winners.append(line) }
        }
        #expect(winners.count == 1)
        let final = try await witness.store.cosigned(origin: log.origin)
        #expect(sizes.contains(final.size))
        #expect(final.root == (try log.tree.rootHash(size: final.size)))
        for outcome in outcomes {
            if case .refused(let refusal) = outcome {
                #expect(refusal.status.code == 409)
                #expect(refusal.cosignedSize == final.size)
            }
        }
    }

    @Test("clients that retry from the size the witness reports all finish at the largest tree, along one chain")
    func retryingClientsEndAtTheMax() async throws {
        let log = SimulatedLog(leaves: 64)
        let witness = try WitnessFixture(trusting: [log.vkey])
        _ = try await witness.cosign(try log.request(old: 0, size: 5))
        let targets = Array(Int64(6)...64).shuffled()
        // Each client submits its size and, told the witness moved on, resubmits from there until it wins or the
        // witness is past it. Each success is recorded as the step old -> size it made.
        let steps = try await withThrowingTaskGroup(of: [ClosedRange<Int64>].self) { group in
            for target in targets {
                group.addTask {
                    var old: Int64 = 5
                    var accepted: [ClosedRange<Int64>] = []
                    while old <= target {
                        let request = try log.request(old: old, size: target)
                        switch try await witness.submit(request) {
                        case .cosigned(let line):
                            #expect(
                                try Cosignature.find(by: witness.identity.vkey, on: request.note.adding(line)) != nil)
                            accepted.append(old...target)
                            return accepted
                        case .refused(let refusal):
                            #expect(refusal.status.code == 409 || refusal.status.code == 400, "\(refusal)")
                            guard let size = refusal.cosignedSize, size < target else { return accepted }
                            old = size
                        }
                    }
                    return accepted
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let final = try await witness.store.cosigned(origin: log.origin)
        #expect(final == CosignedState(size: 64, root: try log.tree.rootHash(size: 64)))
        // The accepted steps form one chain 5 -> ... -> 64, each starting where the one before ended: no two were
        // accepted from the same state, and none went backwards.
        let chain = steps.sorted { $0.lowerBound < $1.lowerBound }
        #expect(chain.first?.lowerBound == 5)
        #expect(chain.last?.upperBound == 64)
        for (before, after) in zip(chain, chain.dropFirst()) {
            #expect(before.upperBound == after.lowerBound)
            #expect(after.lowerBound < after.upperBound)
        }
    }
}
