import HoopCore
import Testing
import Witness

/// A log showing the witness a history other than the one it cosigned: at the same size, or grown from a different
/// prefix with a proof that cannot tie it to the cosigned root.
@Suite("Witness: a forked or unproven history is never cosigned")
struct WitnessForkTests {
    @Test("the cosigned size with another root is 409 (a fork), whatever old size comes with it")
    func forkAtSameSize() async throws {
        let log = SimulatedLog(leaves: 12)
        let forked = try log.fork(divergingAt: 4, leaves: 12)
        let witness = try WitnessFixture(trusting: [log.vkey])
        _ = try await witness.cosign(try log.request(old: 0, size: 9))
        for old: Int64 in [9, 4, 0] {
            let refusal = try await witness.refusal(try forked.request(old: old, size: 9))
            #expect(refusal.status.code == 409)
            #expect(refusal.cosignedSize == 9)
        }
        #expect(try await witness.store.cosigned(origin: log.origin).root == log.tree.rootHash(size: 9))
        #expect(try await witness.store.refusals(origin: log.origin).map(\.reason) == [.fork])
    }

    @Test("a fork of the empty tree (size 0 with another root) is 409")
    func forkOfEmptyTree() async throws {
        let log = SimulatedLog(leaves: 3)
        let witness = try WitnessFixture(trusting: [log.vkey])
        let bogus = TreeCheckpoint(origin: log.origin, size: 0, root: try log.tree.rootHash(size: 3))
        let refusal = try await witness.refusal(
            AddCheckpointRequest(oldSize: 0, proof: [], note: try bogus.signed(by: log.key)))
        #expect(refusal.status.code == 409)
        #expect(refusal.cosignedSize == 0)
    }

    @Test("a larger forked tree with its own proof from the cosigned size is 422", arguments: [1, 4, 8])
    func forkAtLargerSize(divergingAt: Int) async throws {
        let log = SimulatedLog(leaves: 16)
        let forked = try log.fork(divergingAt: divergingAt, leaves: 16)
        let witness = try WitnessFixture(trusting: [log.vkey])
        _ = try await witness.cosign(try log.request(old: 0, size: 9))
        let refusal = try await witness.refusal(try forked.request(old: 9, size: 14))
        #expect(refusal.status.code == 422)
        #expect(try await witness.store.cosigned(origin: log.origin).size == 9)
    }

    @Test("the honest proof with the forked root, or the forked proof with the honest root, is 422")
    func mixedProofAndRoot() async throws {
        let log = SimulatedLog(leaves: 16)
        let forked = try log.fork(divergingAt: 11, leaves: 16)
        let witness = try WitnessFixture(trusting: [log.vkey])
        _ = try await witness.cosign(try log.request(old: 0, size: 9))
        let honestProof = try log.tree.consistencyProof(from: 9, to: 14)
        let forkedProof = try forked.tree.consistencyProof(from: 9, to: 14)
        let forkedNote = AddCheckpointRequest(oldSize: 9, proof: honestProof, note: try forked.note(size: 14))
        let honestNote = AddCheckpointRequest(oldSize: 9, proof: forkedProof, note: try log.note(size: 14))
        #expect(try await witness.refusal(forkedNote).status.code == 422)
        if forkedProof != honestProof {
            #expect(try await witness.refusal(honestNote).status.code == 422)
        }
    }

    @Test("a proof cut short, padded, reordered or with one hash changed is 422")
    func damagedProofs() async throws {
        let log = SimulatedLog(leaves: 30)
        let witness = try WitnessFixture(trusting: [log.vkey])
        _ = try await witness.cosign(try log.request(old: 0, size: 11))
        let valid = try log.request(old: 11, size: 27)
        #expect(valid.proof.count >= 3)
        var variants: [[TreeHash]] = [
            Array(valid.proof.dropLast()), Array(valid.proof.dropFirst()), valid.proof + [valid.proof[0]],
            valid.proof.reversed(), [],
        ]
        for index in valid.proof.indices {
            var changed = valid.proof
            changed[index] = TreeHash.leaf(Array("not \(index)".utf8))
            variants.append(changed)
        }
        for proof in variants {
            var request = valid
            request.proof = proof
            #expect(try await witness.refusal(request).status.code == 422)
        }
        #expect(try await witness.store.cosigned(origin: log.origin).size == 11)
        _ = try await witness.cosign(valid)
    }

    @Test("proof lines with old 0, or with old equal to the size, are 422: that proof must be empty")
    func proofWhereNoneBelongs() async throws {
        let log = SimulatedLog(leaves: 8)
        let witness = try WitnessFixture(trusting: [log.vkey])
        let junk = [try log.tree.rootHash(size: 4)]
        let fromZero = try await witness.refusal(
            AddCheckpointRequest(oldSize: 0, proof: junk, note: try log.note(size: 8)))
        #expect(fromZero.status.code == 422)
        #expect(fromZero.reason.contains("must be empty"))
        _ = try await witness.cosign(try log.request(old: 0, size: 8))
        let same = try await witness.refusal(AddCheckpointRequest(oldSize: 8, proof: junk, note: try log.note(size: 8)))
        #expect(same.status.code == 422)
    }
}
