import HoopCore
import Testing
import Witness

/// Bodies that are not add-checkpoint requests: each is 400 with a reason, and none touches the store.
@Suite("Witness: malformed bodies are 400 and change nothing")
struct WitnessMalformedBodyTests {
    private static let log = SimulatedLog(leaves: 9)

    static let bodies: [(String, String)] = {
        let note = (try? log.note(size: 9).serialized) ?? ""
        let hash = (try? log.tree.rootHash(size: 3).base64) ?? ""
        let text = note.components(separatedBy: "\n\n")[0]
        let signatures = note.components(separatedBy: "\n\n")[1]
        return [
            ("empty body", ""),
            ("no blank line", "old 0\n" + text),
            ("old without a size", "old\n\n" + note),
            ("old with two spaces", "old  0\n\n" + note),
            ("negative old", "old -1\n\n" + note),
            ("old with a plus", "old +0\n\n" + note),
            ("old with a leading zero", "old 00\n\n" + note),
            ("old beyond Int64", "old 9223372036854775808\n\n" + note),
            ("old in capitals", "OLD 0\n\n" + note),
            ("old with a carriage return", "old 0\r\n\n" + note),
            ("no old line", "\n" + note),
            ("proof line not base64", "old 0\n!!!!\n\n" + note),
            ("proof line of 31 bytes", "old 0\n" + String(repeating: "A", count: 40) + "AA==\n\n" + note),
            ("proof line with stray low bits", "old 0\n" + hash.dropLast(2) + "B=\n\n" + note),
            ("proof line with a space", "old 0\n " + hash + "\n\n" + note),
            ("note without signatures", "old 0\n\n" + text + "\n"),
            ("note without final newline", "old 0\n\n" + note.dropLast()),
            (
                "note with a control character",
                "old 0\n\n" + text.replacingOccurrences(of: "\n9\n", with: "\n9\t\n") + "\n\n" + signatures
            ),
            ("checkpoint with an extension line", "old 0\n\n" + text + "\nextension\n\n" + signatures),
            (
                "checkpoint size with a leading zero",
                "old 0\n\n" + text.replacingOccurrences(of: "\n9\n", with: "\n09\n") + "\n\n" + signatures
            ),
            ("checkpoint root with stray low bits", "old 0\n\n" + text.dropLast(2) + "B=\n\n" + signatures),
            ("checkpoint of two lines", "old 0\n\n" + "log.example/audit\n9\n\n" + signatures),
            ("signature line without the em dash", "old 0\n\n" + text + "\n\n" + signatures.dropFirst(2)),
        ]
    }()

    @Test("each malformed body is 400", arguments: bodies)
    func malformed(name: String, body: String) async throws {
        let witness = try WitnessFixture(trusting: [Self.log.vkey])
        let refusal = try await witness.refusal(body: body)
        #expect(refusal.status.code == 400, "\(name)")
        #expect(refusal.reason.hasPrefix("malformed request: "), "\(name)")
        #expect(try await witness.store.cosigned(origin: Self.log.origin) == .empty)
        #expect(try await witness.store.refusals(origin: Self.log.origin).isEmpty)
    }

    @Test("bytes that are not UTF-8 are 400")
    func notUTF8() async throws {
        let witness = try WitnessFixture(trusting: [Self.log.vkey])
        var body = try Self.log.request(old: 0, size: 9).body
        body.insert(0xFF, at: 3)
        let refusal = try WitnessFixture.refusal(of: try await witness.service.addCheckpoint(body: body))
        #expect(refusal.status.code == 400)
    }

    @Test("64 proof lines are 400 before any proof is checked; 63 are read")
    func tooManyProofLines() async throws {
        let witness = try WitnessFixture(trusting: [Self.log.vkey])
        let hash = try Self.log.tree.rootHash(size: 2)
        let note = try Self.log.note(size: 9)
        let tooMany = try await witness.refusal(
            AddCheckpointRequest(oldSize: 4, proof: Array(repeating: hash, count: 64), note: note))
        #expect(tooMany.status.code == 400)
        #expect(tooMany.reason.contains("64 proof lines"))
        // 63 lines pass parsing and reach the rules: here, the stale old size.
        let atLimit = try await witness.refusal(
            AddCheckpointRequest(oldSize: 4, proof: Array(repeating: hash, count: 63), note: note))
        #expect(atLimit.status.code == 409)
    }

    @Test("the request codec reads back exactly what it writes")
    func roundTrip() throws {
        for (old, size) in [(Int64(0), Int64(0)), (0, 9), (3, 9), (9, 9)] {
            let request = try Self.log.request(old: old, size: size)
            #expect(try AddCheckpointRequest(body: request.body) == request)
        }
    }
}
