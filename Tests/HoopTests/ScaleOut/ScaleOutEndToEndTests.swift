import Foundation
import HoopCore
import Testing

/// Three broker processes on one PostgreSQL store behind haproxy: sessions spread over all three, an approval asked
/// through one broker and given through another, a revoke through a third, a broker killed mid-session while its
/// client carries on through the others, and one audit chain that verifies offline with every event in it.
@Suite("Scale-out: three brokers on one PostgreSQL store", .serialized)
struct ScaleOutEndToEndTests {
    static func resources(pgPort: Int) -> String {
        """
          - name: pg-prod
            type: postgres
            address: 127.0.0.1:\(pgPort)
            database: testdb
            username: hoop_scram
            password_env: PG_PROD_PASSWORD
            tls: disable
            allow_groups: [agents]
            guardrails:
              - name: ddl
                match: [drop]
                action: require_approval
                approvers: [dba]
        """
    }

    /// The people: an agent, a DBA who approves, and an admin who revokes and audits.
    struct Cast {
        var agent: ClientCLI
        var dba: ClientCLI
        var admin: ClientCLI
    }

    static func withDeployment(_ body: (BrokerDeploymentStack, PostgresServer, Cast) async throws -> Void)
        async throws
    {
        try await IdentityProvider.with { idp in
            try await PostgresServer.with { pg in
                try await BrokerDeploymentStack.with(
                    idp: idp, pg: pg, resourcesYAML: resources(pgPort: pg.port),
                    extraYAML: "approvals:\n  timeout: 2m",
                    environment: ["PG_PROD_PASSWORD": PostgresServer.password]
                ) { stack in
                    try await idp.addClient(
                        "dba", secret: "dba-secret", groups: ["dba"], subject: "dba", email: "dba@example.com")
                    try await idp.addClient(
                        "admin", secret: "admin-secret", groups: ["admins"], subject: "admin",
                        email: "admin@example.com")
                    let cast = Cast(
                        agent: try await stack.client("agent", clientID: "ci-agent", secret: "ci-agent-secret"),
                        dba: try await stack.client("dba", clientID: "dba", secret: "dba-secret"),
                        admin: try await stack.client("admin", clientID: "admin", secret: "admin-secret"))
                    try await body(stack, pg, cast)
                }
            }
        }
    }

    static func status(_ admin: ClientCLI) async throws -> BrokerStatusReport {
        let status = try await admin.run(["broker", "status", "--output", "json"])
        guard status.status == 0 else { throw PeerError("broker status failed: \(status.stderr)") }
        return try HoopJSON.decoder().decode(BrokerStatusReport.self, from: Data(status.stdout.utf8))
    }

    @Test("sessions, approvals and revokes cross brokers; a killed broker's client carries on; the export verifies")
    func deployment() async throws {
        try await Self.withDeployment { stack, pg, cast in
            // Every broker registered and beats.
            let initial = try await Self.status(cast.admin)
            #expect(
                Set(initial.brokers.filter { $0.state == .running }.map(\.name)) == [
                    "broker-1", "broker-2", "broker-3",
                ])

            // Concurrent sessions through haproxy land on all three brokers; every statement runs.
            try await withThrowingTaskGroup(of: (Int32, String).self) { group in
                for index in 0..<9 {
                    group.addTask {
                        let result = try await cast.agent.run(["exec", "pg-prod", "--", "select \(index) * 7"])
                        return (result.status, result.stdout + result.stderr)
                    }
                }
                for try await (status, output) in group {
                    #expect(status == 0, "\(output)")
                }
            }
            let grantedBy = try await stack.storeQuery("select count(distinct owner) from sessions")
            #expect(Int(grantedBy) ?? 0 >= 2, "sessions were granted by several brokers")

            // One session, several connections: the brokers it did not come from join it with their own segment.
            let (connect, port, session, password) = try await PostgresEndToEndTests.connect(cast.agent)
            for index in 0..<4 {
                let result = try await PostgresEndToEndTests.psql(
                    port: port, password: password, ["-c", "select 'conn-\(index)'"])
                #expect(result.status == 0, "\(result.stderr)")
                #expect(result.stdout.contains("conn-\(index)"))
            }
            let joins = try await stack.storeQuery(
                "select count(*) from audit_events where action = 'session.join' and session = '\(session)'")
            #expect(Int(joins) ?? 0 >= 1, "a second broker served the session")

            // The approval is asked through broker 1 and given through broker 2; the waiting client goes on.
            _ = try await PostgresServer.psql(port: pg.port, ["-c", "create table doomed (id int)"])
            let onFirst = try await stack.pinned(cast.agent, to: stack.brokers[0], clientID: "ci-agent")
            let exec = try onFirst.spawn(["exec", "pg-prod", "--", "DROP TABLE doomed"])
            let waiting = try await exec.waitForOutput("waiting for approval")
            let id = try ApprovalsEndToEndTests.approvalID(in: waiting)
            let approve = try await stack.pinned(cast.dba, to: stack.brokers[1], clientID: "dba").run([
                "approvals", "approve", String(id),
            ])
            #expect(approve.status == 0, "\(approve.stderr)")
            let decided = ContinuousClock.now
            #expect(try await exec.waitForExit(timeout: .seconds(30)) == 0, "\(exec.stderr)")
            // Told by the store's notification at once, or by its own re-read within 3 s: well under 10 s.
            #expect(ContinuousClock.now - decided < .seconds(10), "the client on broker 1 heard of it promptly")
            #expect(try await !ApprovalsEndToEndTests.tableExists(pg, "doomed"))

            // A revoke through broker 3 closes a live tunnel held open on broker 1.
            let (pinnedConnect, pinnedPort, pinnedSession, pinnedPassword) = try await PostgresEndToEndTests.connect(
                onFirst)
            let long = Task {
                try await PostgresEndToEndTests.psql(
                    port: pinnedPort, password: pinnedPassword, ["-c", "select pg_sleep(60)"])
            }
            try await Task.sleep(for: .seconds(1))
            let revokedAt = ContinuousClock.now
            let revoke = try await stack.pinned(cast.admin, to: stack.brokers[2], clientID: "admin").run([
                "sessions", "revoke", pinnedSession,
            ])
            #expect(revoke.status == 0, "\(revoke.stderr)")
            #expect(try await long.value.status != 0)
            #expect(ContinuousClock.now - revokedAt < .seconds(10))
            _ = try await pinnedConnect.waitForExit(timeout: .seconds(15))

            // kill -9 of the broker that owns the session: the client's next connections go through the others.
            let owner = try await stack.storeQuery("select owner from sessions where id = '\(session)'")
            let ownerListen = try await Self.status(cast.admin).brokers.first { $0.id == owner }?.listen
            let victim = try #require(stack.brokers.first { "127.0.0.1:\($0.port)" == ownerListen })
            try await victim.kill()
            for index in 0..<3 {
                let result = try await PostgresEndToEndTests.psql(
                    port: port, password: password, ["-c", "select 'after-\(index)'"])
                #expect(result.status == 0, "\(result.stderr)")
                #expect(result.stdout.contains("after-\(index)"))
            }
            // Its heartbeat stops; a survivor takes the session over and the chain says so.
            var interrupted = ""
            for _ in 0..<120 {
                interrupted = try await stack.storeQuery(
                    "select count(*) from audit_events where action = 'session.interrupted' and session = '\(session)'")
                if interrupted == "1" { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(interrupted == "1")
            let sealedFromArchive = try await stack.storeQuery(
                "select count(*) from audit_events where action = 'recording.seal' and session = '\(session)' "
                    + "and details::jsonb->>'recording' = '\(session)'")
            #expect(sealedFromArchive == "1", "the survivor sealed the dead owner's segment from the store's copy")
            let after = try await Self.status(cast.admin)
            #expect(after.brokers.first { $0.id == owner }?.state == .unresponsive)
            #expect(try await stack.storeQuery("select owner from sessions where id = '\(session)'") != owner)
            connect.signal(SIGINT)
            _ = try await connect.waitForExit(timeout: .seconds(15))

            // One chain for the whole deployment: exported through haproxy, verified offline, nothing missing.
            let stored = try await stack.storeQuery("select count(*) || ' ' || max(seq) from audit_events")
            let parts = stored.split(separator: " ").compactMap { Int($0) }
            #expect(parts.count == 2 && parts[0] == parts[1], "the chain has no gap: \(stored)")
            let bundle = stack.brokers[0].directory.appendingPathComponent("bundle").path
            let export = try await cast.admin.run(["audit", "export", "--out", bundle], timeout: .seconds(120))
            #expect(export.status == 0, "\(export.stderr)")
            let pubkey = try await Evidence.publishedKey(stack.brokers[0])
            let verify = try await cast.admin.run(["audit", "verify", bundle, "--pubkey", pubkey, "--output", "json"])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            let segments = try FileManager.default.contentsOfDirectory(atPath: bundle + "/recordings")
                .filter { $0.hasPrefix(session) }
            #expect(segments.contains("\(session).jsonl"), "the dead owner's segment, from the store")
            #expect(segments.count >= 2, "and the segments of the brokers that joined: \(segments)")
            let exported = try String(contentsOfFile: bundle + "/events.jsonl", encoding: .utf8)
                .split(separator: "\n").count
            #expect(exported >= parts.first ?? .max, "the export holds every event appended before it")
        }
    }
}
