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

    @Test("an audit event's hash is the RFC 6962 leaf hash of its canonical body")
    func auditHash() {
        let event = AuditEvent(
            seq: 1, time: "2026-11-21T00:00:00.000Z", actor: "alice", action: "session.grant",
            resource: "pg", session: "ses_1", decision: .allow, details: ["k": "v"]
        )
        let body =
            #"{"action":"session.grant","actor":"alice","decision":"allow","details":{"k":"v"},"resource":"pg","#
            + #""seq":1,"session":"ses_1","time":"2026-11-21T00:00:00.000Z"}"#
        let expected = SHA256.hash(data: [0x00] + Array(body.utf8)).hexString
        #expect(event.hash == expected)
        #expect(event.isIntact)
    }

    private func log(_ count: Int) -> [AuditEvent] {
        (1...count).map { seq in
            AuditEvent(
                seq: Int64(seq), time: "2026-11-21T00:00:0\(seq % 10).000Z", actor: "a", action: "x",
                resource: nil, session: nil, decision: .info, details: ["n": .int(Int64(seq))])
        }
    }

    @Test("an intact run of events verifies")
    func intactLog() {
        #expect(AuditLeafVerifier.verify(log(5)) == nil)
    }

    @Test("editing, deleting or reordering an event is detected at the right seq")
    func tampering() {
        var edited = log(5)
        edited[2].actor = "mallory"
        #expect(AuditLeafVerifier.verify(edited)?.seq == 3)

        var deleted = log(5)
        deleted.remove(at: 1)
        #expect(AuditLeafVerifier.verify(deleted)?.seq == 3)

        var reordered = log(5)
        reordered.swapAt(1, 2)
        #expect(AuditLeafVerifier.verify(reordered)?.seq == 3)

        var rehashed = log(5)
        rehashed[1].details = ["n": 99]
        rehashed[1].hash = rehashed[1].leafHash.hex
        #expect(AuditLeafVerifier.verify(rehashed) == nil, "a rehashed edit passes the leaf check: the tree catches it")
        #expect(
            MemoryMerkleTree(leaves: rehashed.map(\.leafHash)).root
                != MemoryMerkleTree(leaves: log(5).map(\.leafHash)).root)
    }

    @Test("JSONValue round-trips through JSON and refuses floating point")
    func jsonValueCoding() throws {
        let value: JSONValue = ["a": [1, "b", nil, true], "c": ["d": -5]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(JSONValue.self, from: Data("1.5".utf8)) }
    }
}
