import Foundation
import HoopCore
import Testing

@testable import Broker

/// Every `Store` member, against every backend: the embedded SQLite file and a real PostgreSQL database. One
/// PostgreSQL server serves the whole suite; each test has its own database. The nested suites split the members
/// by what they hold (records here, the audit log and the brokers' coordination in their own files).
@Suite("Store conformance", .sharedPostgres)
struct StoreConformanceTests {
    /// Whole seconds: both backends keep at least that, so records compare equal after a round trip.
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func session(_ id: String, subject: String = "alice", created: TimeInterval = 0) -> SessionRecord {
        SessionRecord(
            id: id, resource: "db", resourceType: ResourceType(rawValue: "postgres"), issuer: "https://idp",
            subject: subject, email: "\(subject)@example.com", groups: ["dev", "ops"], reason: "ticket 7",
            status: .active, createdAt: now.addingTimeInterval(created), expiresAt: now.addingTimeInterval(3_600),
            endedAt: nil, connections: 0, bytesUp: 0, bytesDown: 0, recordingDigest: nil, owner: "brk_a")
    }

    static func approval(statement: String = "DELETE FROM t") -> ApprovalRecord {
        ApprovalRecord(
            id: 0, kind: .statement, status: .pending, requesterIssuer: "https://idp", requesterSubject: "alice",
            requesterName: "Alice", resource: "db", session: "ses_1", statement: statement, statementSHA256: "abc",
            reason: nil, rule: "deletes", approverGroups: ["dba"], minApprovals: 1, decisions: [], createdAt: now,
            expiresAt: now.addingTimeInterval(600), version: 0)
    }

    @Suite("sessions and approvals")
    struct Records {
        @Test(
            "sessions: stored as given, listed newest first per person, traffic added, ended once",
            arguments: StoreBackend.allCases)
        func sessions(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let store = try await fixture.open()
                try await store.insertSession(StoreConformanceTests.session("ses_1"))
                try await store.insertSession(StoreConformanceTests.session("ses_2", created: 10))
                try await store.insertSession(StoreConformanceTests.session("ses_3", subject: "bob", created: 5))
                #expect(try await store.session(id: "ses_1") == StoreConformanceTests.session("ses_1"))
                #expect(try await store.session(id: "ses_missing") == nil)
                let alices = try await store.sessions(issuer: "https://idp", subject: "alice", limit: 10)
                #expect(alices.map(\.id) == ["ses_2", "ses_1"])
                #expect(try await store.sessions(issuer: nil, subject: nil, limit: 2).map(\.id) == ["ses_2", "ses_3"])

                try await store.addTraffic(sessionID: "ses_1", connections: 1, bytesUp: 100, bytesDown: 2_000)
                try await store.addTraffic(sessionID: "ses_1", connections: 2, bytesUp: 1, bytesDown: 1)
                let counted = try #require(try await store.session(id: "ses_1"))
                #expect(counted.connections == 3 && counted.bytesUp == 101 && counted.bytesDown == 2_001)

                let end = StoreConformanceTests.now.addingTimeInterval(60)
                #expect(try await store.endSession(id: "ses_1", status: .revoked, at: end, recordingDigest: "d1"))
                #expect(!(try await store.endSession(id: "ses_1", status: .closed, at: end, recordingDigest: "d2")))
                let ended = try #require(try await store.session(id: "ses_1"))
                #expect(ended.status == .revoked && ended.endedAt == end && ended.recordingDigest == "d1")
                #expect(Set(try await store.activeSessions().map(\.id)) == ["ses_2", "ses_3"])
            }
        }

        @Test(
            "a session changes owner only from the owner it has, and only while active",
            arguments: StoreBackend.allCases)
        func transfer(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let store = try await fixture.open()
                var unowned = StoreConformanceTests.session("ses_u")
                unowned.owner = nil
                try await store.insertSession(unowned)
                try await store.insertSession(StoreConformanceTests.session("ses_a"))
                #expect(!(try await store.transferSession(id: "ses_a", from: nil, to: "brk_b")))
                #expect(!(try await store.transferSession(id: "ses_a", from: "brk_x", to: "brk_b")))
                #expect(try await store.transferSession(id: "ses_a", from: "brk_a", to: "brk_b"))
                #expect(try await store.session(id: "ses_a")?.owner == "brk_b")
                #expect(!(try await store.transferSession(id: "ses_u", from: "brk_a", to: "brk_b")))
                #expect(try await store.transferSession(id: "ses_u", from: nil, to: "brk_b"))
                _ = try await store.endSession(
                    id: "ses_a", status: .closed, at: StoreConformanceTests.now, recordingDigest: nil)
                #expect(!(try await store.transferSession(id: "ses_a", from: "brk_b", to: "brk_c")))
                #expect(!(try await store.transferSession(id: "ses_missing", from: nil, to: "brk_c")))
            }
        }

        @Test("racing brokers transfer a dead broker's session: exactly one wins", arguments: StoreBackend.allCases)
        func transferRace(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let brokers = try await fixture.brokers(3)
                for round in 0..<5 {
                    try await brokers[0].insertSession(StoreConformanceTests.session("ses_\(round)"))
                    let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                        for (index, store) in brokers.enumerated() {
                            group.addTask {
                                try await store.transferSession(id: "ses_\(round)", from: "brk_a", to: "brk_\(index)")
                            }
                        }
                        return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                    }
                    #expect(wins == 1, "round \(round)")
                    let owner = try await brokers[1].session(id: "ses_\(round)")?.owner
                    #expect(["brk_0", "brk_1", "brk_2"].contains(owner ?? ""))
                }
            }
        }

        @Test(
            "approvals: ids assigned, filtered by status, updated compare-and-set on the version",
            arguments: StoreBackend.allCases)
        func approvals(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let store = try await fixture.open()
                let first = try await store.insertApproval(StoreConformanceTests.approval())
                let second = try await store.insertApproval(StoreConformanceTests.approval(statement: "DROP TABLE t"))
                #expect(first.id > 0 && second.id > first.id)
                #expect(try await store.approval(id: first.id) == first)
                #expect(try await store.approval(id: second.id + 100) == nil)

                var decided = first
                decided.status = .approved
                decided.decisions = [
                    ApprovalDecisionRecord(
                        approverIssuer: "https://idp", approverSubject: "dba", approverName: "Dee", approve: true,
                        reason: "ok", at: StoreConformanceTests.now)
                ]
                let stored = try #require(try await store.updateApproval(decided))
                #expect(stored.version == 1 && stored.status == .approved)
                #expect(try await store.approval(id: first.id) == stored)
                // The same change again carries the old version: someone else (this) changed it first.
                #expect(try await store.updateApproval(decided) == nil)
                #expect(try await store.approvals(status: .pending, limit: 10).map(\.id) == [second.id])
                #expect(try await store.approvals(status: nil, limit: 10).map(\.id) == [second.id, first.id])
                #expect(try await store.approvals(status: nil, limit: 1).map(\.id) == [second.id])
            }
        }

        @Test("approvers racing on one request: exactly one decision is stored", arguments: StoreBackend.allCases)
        func approvalRace(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let brokers = try await fixture.brokers(3)
                let request = try await brokers[0].insertApproval(StoreConformanceTests.approval())
                let stored = try await withThrowingTaskGroup(of: ApprovalRecord?.self) { group in
                    for (index, store) in brokers.enumerated() {
                        group.addTask {
                            var change = request
                            change.status = index == 0 ? .approved : .denied
                            change.rule = "contender \(index)"
                            return try await store.updateApproval(change)
                        }
                    }
                    return try await group.compactMap { $0 }.reduce(into: []) { $0.append($1) }
                }
                #expect(stored.count == 1)
                let final = try #require(try await brokers[2].approval(id: request.id))
                #expect(final.version == 1 && final.status == stored.first?.status)
            }
        }

        @Test(
            "tool pins are kept per resource and replaced by a new pin of the same tool",
            arguments: StoreBackend.allCases)
        func toolPins(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let store = try await fixture.open()
                let pin = ToolPin(
                    resource: "mcp", tool: "query", fingerprint: "f1", definition: "{}",
                    pinnedAt: StoreConformanceTests.now, pinnedBy: "first use")
                try await store.pinTool(pin)
                try await store.pinTool(
                    ToolPin(
                        resource: "other", tool: "query", fingerprint: "f9", definition: "{}",
                        pinnedAt: StoreConformanceTests.now, pinnedBy: "first use"))
                var repinned = pin
                repinned.fingerprint = "f2"
                repinned.pinnedBy = "approval 4"
                try await store.pinTool(repinned)
                #expect(try await store.toolPins(resource: "mcp") == ["query": repinned])
                #expect(try await store.toolPins(resource: "none").isEmpty)
            }
        }

        @Test("brokers register, beat, stop, and are listed newest start first", arguments: StoreBackend.allCases)
        func brokers(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let store = try await fixture.open()
                let now = StoreConformanceTests.now
                let old = BrokerInstance(
                    id: "brk_old", name: "a", version: "1.0", listen: "0.0.0.0:8443", startedAt: now, lastSeen: now)
                var new = BrokerInstance(
                    id: "brk_new", name: "b", version: "1.1", listen: "0.0.0.0:8443", startedAt: now + 100,
                    lastSeen: now + 100)
                try await store.registerBroker(old)
                try await store.registerBroker(new)
                try await store.heartbeat(brokerID: "brk_new", at: now + 130)
                try await store.brokerStopped(brokerID: "brk_old", at: now + 50)
                var listed = try await store.brokers(limit: 10)
                new.lastSeen = now + 130
                #expect(listed.map(\.id) == ["brk_new", "brk_old"])
                #expect(listed.first == new)
                #expect(listed.last?.stoppedAt == now + 50 && listed.last?.lastSeen == now + 50)
                new.name = "renamed"
                try await store.registerBroker(new)
                listed = try await store.brokers(limit: 1)
                #expect(listed == [new])
            }
        }
    }
}
