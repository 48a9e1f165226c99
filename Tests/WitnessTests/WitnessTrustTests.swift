import Crypto
import HoopCore
import Testing
import Witness

/// Submissions the witness must not even judge: logs it does not know, and checkpoints no trusted key signed.
@Suite("Witness: only a trusted log key's signature counts")
struct WitnessTrustTests {
    @Test("an origin the witness is not configured for is 404, signed or not, and is not recorded")
    func unknownOrigin() async throws {
        let trusted = SimulatedLog(leaves: 4)
        let stranger = SimulatedLog(origin: "elsewhere.example/log", leaves: 4)
        let witness = try WitnessFixture(trusting: [trusted.vkey])
        let refusal = try await witness.refusal(try stranger.request(old: 0, size: 4))
        #expect(refusal.status.code == 404)
        #expect(refusal.reason.contains("elsewhere.example/log"))
        #expect(try await witness.store.refusals(origin: stranger.origin).isEmpty)
    }

    @Test("the right origin signed by another key is 403 and changes nothing")
    func signatureByAnotherKey() async throws {
        let log = SimulatedLog(leaves: 9)
        let impostor = SimulatedLog(origin: log.origin, leaves: 9)
        let witness = try WitnessFixture(trusting: [log.vkey])
        _ = try await witness.cosign(try log.request(old: 0, size: 4))
        let refusal = try await witness.refusal(try impostor.request(old: 4, size: 9))
        #expect(refusal.status.code == 403)
        #expect(try await witness.store.cosigned(origin: log.origin).size == 4)
        #expect(try await witness.store.refusals(origin: log.origin).isEmpty)
    }

    @Test("the log's signature line with the text changed after signing is 403")
    func textChangedAfterSigning() async throws {
        let log = SimulatedLog(leaves: 9)
        let witness = try WitnessFixture(trusting: [log.vkey])
        var request = try log.request(old: 0, size: 9)
        request.note.text = try log.checkpoint(size: 8).body
        #expect(try await witness.refusal(request).status.code == 403)
    }

    @Test("a line under the log's name and key ID whose signature is wrong is 403")
    func forgedLine() async throws {
        let log = SimulatedLog(leaves: 9)
        let witness = try WitnessFixture(trusting: [log.vkey])
        var request = try log.request(old: 0, size: 9)
        request.note.signatures[0].payload[10] ^= 0x01
        #expect(try await witness.refusal(request).status.code == 403)
    }

    @Test("a cosignature-type (0x04) line under the log's name is not a log signature: 403")
    func cosignatureKeyAsLogKey() async throws {
        let log = SimulatedLog(leaves: 9)
        let witness = try WitnessFixture(trusting: [log.vkey])
        let line = try Cosignature.sign(try log.checkpoint(size: 9), name: log.origin, key: log.key, timestamp: 1)
        let note = SignedNote(text: try log.checkpoint(size: 9).body, signatures: [line])
        #expect(try await witness.refusal(AddCheckpointRequest(oldSize: 0, proof: [], note: note)).status.code == 403)
    }

    @Test("signature lines of unknown keys, before and after the log's, are ignored")
    func unknownKeyLinesIgnored() async throws {
        let log = SimulatedLog(leaves: 9)
        let witness = try WitnessFixture(trusting: [log.vkey])
        var request = try log.request(old: 0, size: 9)
        let other = SimulatedLog(origin: "other.example/log", leaves: 9)
        let junk = NoteSignature(
            name: "someone.example/key", keyID: [1, 2, 3, 4], payload: Array(repeating: 7, count: 64))
        let foreign = try other.checkpoint(size: 9).signed(by: other.key).signatures[0]
        request.note.signatures = [junk, foreign] + request.note.signatures + [junk]
        let line = try await witness.cosign(request)
        #expect(try Cosignature.find(by: witness.identity.vkey, on: request.note.adding(line)) != nil)
    }

    @Test("a witness refuses to be configured with a cosignature key as a log key")
    func configurationRefusesWitnessKeys() throws {
        let identity = try WitnessIdentity(name: "witness.example/other")
        #expect(throws: WitnessSetupError.self) { try TrustedLogs([identity.vkey]) }
    }
}
