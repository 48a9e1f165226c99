import Crypto
import Foundation
import HoopCore
import Testing

@Suite("Evidence formats")
struct EvidenceFormatTests {
    @Test("canonical JSON sorts keys by bytes, drops whitespace and escapes minimally")
    func canonicalJSON() {
        let value: JSONValue = [
            "b": 1, "a": ["x": nil, "é": true], "A": "line\nbreak \"quoted\" \\ \u{01}", "list": [1, "two", false],
        ]
        #expect(
            CanonicalJSON.string(value)
                == #"{"A":"line\nbreak \"quoted\" \\ \u0001","a":{"x":null,"é":true},"b":1,"list":[1,"two",false]}"#
        )
    }

    @Test("an audit event's hash is SHA-256 over prev and the canonical body")
    func auditHash() {
        let event = AuditEvent(
            seq: 1, time: "2026-11-21T00:00:00.000Z", actor: "alice", action: "session.grant",
            resource: "pg", session: "ses_1", decision: .allow, details: ["k": "v"], prev: HashChain.genesis
        )
        let body =
            #"{"action":"session.grant","actor":"alice","decision":"allow","details":{"k":"v"},"resource":"pg","#
            + #""seq":1,"session":"ses_1","time":"2026-11-21T00:00:00.000Z"}"#
        let expected = SHA256.hash(data: Array((HashChain.genesis + body).utf8)).hexString
        #expect(event.hash == expected)
    }

    private func chain(_ count: Int) -> [AuditEvent] {
        var events: [AuditEvent] = []
        var prev = HashChain.genesis
        for seq in 1...count {
            let event = AuditEvent(
                seq: Int64(seq), time: "2026-11-21T00:00:0\(seq % 10).000Z", actor: "a", action: "x",
                resource: nil, session: nil, decision: .info, details: ["n": .int(Int64(seq))], prev: prev
            )
            prev = event.hash
            events.append(event)
        }
        return events
    }

    @Test("an intact chain verifies")
    func intactChain() {
        #expect(AuditLeafVerifier.verify(chain(5)) == nil)
    }

    @Test("editing, deleting, reordering or inserting an event is detected at the right seq")
    func tampering() {
        var edited = chain(5)
        edited[2].actor = "mallory"
        #expect(AuditLeafVerifier.verify(edited)?.seq == 3)

        var deleted = chain(5)
        deleted.remove(at: 1)
        #expect(AuditLeafVerifier.verify(deleted)?.seq == 3)

        var reordered = chain(5)
        reordered.swapAt(1, 2)
        #expect(AuditLeafVerifier.verify(reordered)?.seq == 3)

        var inserted = chain(5)
        var forged = inserted[2]
        forged.details = ["forged": true]
        forged.hash = forged.computeHash()
        inserted.insert(forged, at: 3)
        #expect(AuditLeafVerifier.verify(inserted) != nil)

        var rehashed = chain(5)
        rehashed[1].details = ["n": 99]
        rehashed[1].hash = rehashed[1].computeHash()
        #expect(AuditLeafVerifier.verify(rehashed)?.seq == 3)
    }

    @Test("JSONValue round-trips through JSON and refuses floating point")
    func jsonValueCoding() throws {
        let value: JSONValue = ["a": [1, "b", nil, true], "c": ["d": -5]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(JSONValue.self, from: Data("1.5".utf8)) }
    }
}
