import HoopCore
import Testing
import Witness

/// A log (or anyone replaying its old notes) trying to make the witness step back to a smaller tree.
@Suite("Witness: a log cannot roll the witness back")
struct WitnessRollbackTests {
    @Test("old larger than the checkpoint's size is 400 and changes nothing")
    func oldBeyondSize() async throws {
        let log = SimulatedLog(leaves: 12)
        let witness = try WitnessFixture(trusting: [log.vkey])
        _ = try await witness.cosign(try log.request(old: 0, size: 9))
        let refusal = try await witness.refusal(try log.request(old: 9, size: 5))
        #expect(refusal.status.code == 400)
        #expect(refusal.cosignedSize == nil)
        #expect(refusal.reason.contains("old size 9 is larger than the checkpoint size 5"))
        #expect(try await witness.store.cosigned(origin: log.origin).size == 9)
    }

    @Test("a smaller tree after a bigger one, sent with its own size as old, is 409 with the cosigned size")
    func smallerTreeAfterBigger() async throws {
        let log = SimulatedLog(leaves: 12)
        let witness = try WitnessFixture(trusting: [log.vkey])
        _ = try await witness.cosign(try log.request(old: 0, size: 9))
        for size: Int64 in [0, 1, 5, 8] {
            let refusal = try await witness.refusal(try log.request(old: size, size: size))
            #expect(refusal.status.code == 409)
            #expect(refusal.cosignedSize == 9)
        }
        #expect(try await witness.store.cosigned(origin: log.origin).size == 9)
    }

    @Test("an old size that is not the cosigned one is 409 with the cosigned size, even with a true proof")
    func staleOld() async throws {
        let log = SimulatedLog(leaves: 20)
        let witness = try WitnessFixture(trusting: [log.vkey])
        _ = try await witness.cosign(try log.request(old: 0, size: 9))
        for old: Int64 in [0, 5, 8, 10] {
            let refusal = try await witness.refusal(try log.request(old: old, size: 12))
            #expect(refusal.status.code == 409)
            #expect(refusal.cosignedSize == 9)
        }
        // The client learns the size and succeeds from there.
        _ = try await witness.cosign(try log.request(old: 9, size: 12))
    }

    @Test("a witness that never cosigned answers 409 with size 0 to any other old size")
    func staleOldOnNewLog() async throws {
        let log = SimulatedLog(leaves: 20)
        let witness = try WitnessFixture(trusting: [log.vkey])
        let refusal = try await witness.refusal(try log.request(old: 4, size: 12))
        #expect(refusal.status.code == 409)
        #expect(refusal.cosignedSize == 0)
    }
}
