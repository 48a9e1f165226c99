import Foundation
import HoopCore
import Testing

/// A session's grant names the policy digest in force; the broker start before it lists what was loaded.
@Suite("Evidence bundle: which policy governed a session")
struct PolicyEvidenceTests {
    static func start(_ digest: String) -> AuditDraft {
        AuditDraft(
            actor: "broker", action: .brokerStart, decision: .info, details: ["policies": ["pg": .string(digest)]])
    }

    static func grant(_ digest: String) -> AuditDraft {
        AuditDraft(
            actor: "alice", action: .sessionGrant, resource: "pg", session: "ses_a", decision: .allow,
            details: ["policy_sha256": .string(digest)])
    }

    @Test("a grant naming the loaded policy verifies, and broker starts are shown even when filtered out")
    func matchingPolicy() throws {
        let fixture = try EvidenceBundleFixture(drafts: [2: Self.start("p1"), 5: Self.grant("p1")])
        defer { fixture.removeFiles() }
        let bundle = EvidenceBundleTamperer(directory: try fixture.write(filter: EvidenceFilter(session: "ses_a")))
        let report = try bundle.verify(pinned: fixture.key)
        #expect(report.problem == nil)
        #expect(try bundle.lines("events.jsonl")[1].contains(#""action":"broker.start""#))
    }

    @Test("a grant naming another policy than the one loaded is a break")
    func otherPolicy() throws {
        let fixture = try EvidenceBundleFixture(drafts: [2: Self.start("p1"), 5: Self.grant("p2")])
        defer { fixture.removeFiles() }
        #expect(
            try EvidenceBundleTamperer(directory: try fixture.write()).verify(pinned: fixture.key).problem?
                .description
                == "events.jsonl (seq 5): session ses_a on pg names policy p2, but the broker had loaded p1 (the grant "
                + "or the config load was altered)")
    }

    @Test("a reload with a new policy governs the sessions after it")
    func reload() throws {
        let fixture = try EvidenceBundleFixture(drafts: [
            2: Self.start("p1"), 5: Self.grant("p1"), 20: Self.start("p2"), 22: Self.grant("p2"),
        ])
        defer { fixture.removeFiles() }
        #expect(try EvidenceBundleTamperer(directory: try fixture.write()).verify(pinned: fixture.key).ok)
    }
}
