import Crypto
import Foundation
import HoopCore
import Testing

/// The whole product with real parts: the OIDC provider process, a PostgreSQL server, the broker process and the
/// `hoopctl` client, talking over real sockets.
@Suite("End to end: login, sessions and tunnels", .serialized)
struct TunnelEndToEndTests {
    static func resources(pgPort: Int, maxSession: String = "1h") -> String {
        """
          - name: pg-demo
            type: tcp
            address: 127.0.0.1:\(pgPort)
            allow_groups: [eng, agents]
            max_session: \(maxSession)
          - name: dead-target
            type: tcp
            address: 127.0.0.1:1
            allow_groups: [eng]
        """
    }

    /// Runs `body` with an identity provider, PostgreSQL and a broker, stopping all of them afterwards.
    static func withStack(
        maxSession: String = "1h",
        _ body: (IdentityProvider, PostgresServer, BrokerProcess) async throws -> Void
    ) async throws {
        try await IdentityProvider.with { idp in
            try await PostgresServer.with { pg in
                let broker = try await BrokerProcess(
                    issuer: idp.issuer,
                    resourcesYAML: resources(pgPort: pg.port, maxSession: maxSession)
                )
                defer { broker.remove() }
                try await broker.stoppingAfter { try await body(idp, pg, broker) }
            }
        }
    }

    @Test("device-flow login, connect, psql through the tunnel with bytes intact both ways, evidence on disk")
    func humanSession() async throws {
        try await Self.withStack { idp, pg, broker in
            let alice = try ClientCLI(broker: broker, name: "alice")
            let loginOutput = try await alice.loginWithDeviceFlow(idp: idp, subject: "alice", groups: ["eng"])
            #expect(loginOutput.contains("alice"))
            let cacheMode =
                try FileManager.default.attributesOfItem(
                    atPath: alice.home.appendingPathComponent("hoopctl/tokens.json").path
                )[.posixPermissions] as? NSNumber
            #expect(cacheMode?.intValue == 0o600)

            let resources = try await alice.run(["resources", "--output", "json"])
            #expect(resources.status == 0)
            #expect(resources.stdout.contains("pg-demo"))

            let (connect, port, session) = try await alice.connect("pg-demo", extra: ["--reason", "e2e check"])
            // A payload with every byte pattern psql's text COPY can carry, sent up and read back down.
            let scratch = broker.directory
            let payload =
                (0..<20_000).map { line in
                    "\(line)\t" + SHA256.hash(data: Data("\(line)".utf8)).hexString
                        + String(repeating: "x", count: line % 97)
                }.joined(separator: "\n") + "\n"
            let upFile = scratch.appendingPathComponent("up.tsv")
            let downFile = scratch.appendingPathComponent("down.tsv")
            try payload.write(to: upFile, atomically: true, encoding: .utf8)
            let copy = try await PostgresServer.psql(
                port: port,
                [
                    "-v", "ON_ERROR_STOP=1",
                    "-c", "create table payload(n int, text text)",
                    "-c", "\\copy payload from '\(upFile.path)'",
                    "-c", "\\copy (select * from payload order by n) to '\(downFile.path)'",
                    "-c", "select count(*) from payload",
                ]
            )
            #expect(copy.status == 0, "\(copy.stderr)")
            #expect(copy.stdout.contains("20000"))
            #expect(try Data(contentsOf: downFile) == Data(payload.utf8))

            let listed = try await alice.run(["sessions", "--output", "json"])
            #expect(listed.status == 0)
            #expect(listed.stdout.contains(session))
            #expect(listed.stdout.contains("\"active\""))

            connect.signal(SIGINT)
            #expect(try await connect.waitForExit(timeout: .seconds(15)) == 0)

            let revoked = try await alice.run(["sessions", "revoke", session, "--output", "json"])
            #expect(revoked.status == 0, "\(revoked.stderr)")
            #expect(revoked.stdout.contains("\"revoked\""))

            // The recording holds exactly what crossed the tunnel, chained; its digest is sealed in the audit chain.
            let recording = try Evidence.recording(broker, session: session)
            #expect(recording.first?.kind == .start)
            #expect(recording.last?.kind == .end)
            let up = Evidence.bytes(recording, .up)
            let down = Evidence.bytes(recording, .down)
            #expect(up.count > payload.utf8.count)
            #expect(down.count > payload.utf8.count)
            #expect(up.range(of: Data("19999\t".utf8)) != nil)
            #expect(down.range(of: Data("19999\t".utf8)) != nil)

            let events = try await Evidence.auditEvents(broker)
            #expect(AuditLeafVerifier.verify(events) == nil)
            let actions = events.filter { $0.session == session }.map(\.action)
            #expect(actions.first == "session.grant")
            #expect(actions.contains("connection.open"))
            #expect(actions.contains("connection.close"))
            #expect(actions.contains("session.revoke"))
            let close = events.last { $0.session == session && $0.action == "session.close" }
            #expect(close?.details["recording_digest"]?.stringValue == recording.last?.hash)
            #expect(events.contains { $0.action == "auth.token_accepted" && $0.actor == "alice@example.com" })
        }
    }

    @Test("an agent logs in with client credentials; a principal outside allow_groups is denied and audited")
    func agentsAndDenial() async throws {
        try await Self.withStack { idp, pg, broker in
            let agent = try await ClientCLI.loggedIn(broker)
            let whoami = try await agent.run(["whoami", "--output", "json"])
            #expect(whoami.stdout.contains("\"ci-agent\""))
            #expect(whoami.stdout.contains("agents"))
            let (connect, port, agentSession) = try await agent.connect("pg-demo")
            let query = try await PostgresServer.psql(port: port, ["-c", "select 6 * 7"])
            #expect(
                query.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "42",
                "\(query.stderr) \(connect.stderr)")
            // While the session is still open, what crossed it reaches the disk within about a second.
            try await Task.sleep(for: .milliseconds(1500))
            let live = try Evidence.recording(broker, session: agentSession)
            #expect(Evidence.bytes(live, .up).range(of: Data("select 6 * 7".utf8)) != nil)
            #expect(live.last?.kind != .end)
            connect.signal(SIGTERM)
            _ = try await connect.waitForExit(timeout: .seconds(15))

            try await idp.addClient("intern-bot", secret: "intern-secret", groups: ["interns"])
            let intern = try await ClientCLI.loggedIn(
                broker, name: "intern", clientID: "intern-bot", secret: "intern-secret")
            let visible = try await intern.run(["resources", "--output", "json"])
            #expect(!visible.stdout.contains("pg-demo"))
            let denied = try await intern.run(["connect", "pg-demo", "--port", "0"])
            #expect(denied.status == ExitStatus.denied.rawValue)
            #expect(denied.stderr.contains("not in a group allowed"))

            let events = try await Evidence.auditEvents(broker)
            #expect(events.contains { $0.action == "session.deny" && $0.actor == "intern-bot" && $0.decision == .deny })
            #expect(AuditLeafVerifier.verify(events) == nil)
        }
    }

    @Test("an expiring session closes its live tunnels and the connect command")
    func expiryClosesTunnels() async throws {
        try await Self.withStack(maxSession: "4s") { idp, pg, broker in
            let agent = try await ClientCLI.loggedIn(broker)
            let (connect, port, session) = try await agent.connect("pg-demo")
            let started = ContinuousClock.now
            let long = try await PostgresServer.psql(port: port, ["-c", "select pg_sleep(30)"])
            #expect(long.status != 0)
            #expect(ContinuousClock.now - started < .seconds(20))
            #expect(try await connect.waitForExit(timeout: .seconds(15)) == 0)
            #expect(connect.stderr.contains("expired"))
            let events = try await Evidence.auditEvents(broker)
            let close = events.last { $0.session == session && $0.action == "session.close" }
            #expect(close?.details["status"]?.stringValue == "expired")
        }
    }

    @Test("revoking a session from another shell closes its live tunnel at once")
    func revocationClosesTunnels() async throws {
        try await Self.withStack { idp, pg, broker in
            let agent = try await ClientCLI.loggedIn(broker)
            let (connect, port, session) = try await agent.connect("pg-demo")
            let long = Task { try await PostgresServer.psql(port: port, ["-c", "select pg_sleep(30)"]) }
            try await Task.sleep(for: .seconds(1))
            let started = ContinuousClock.now
            #expect(try await agent.run(["sessions", "revoke", session]).status == 0)
            let result = try await long.value
            #expect(result.status != 0)
            #expect(ContinuousClock.now - started < .seconds(10))
            _ = try await connect.waitForExit(timeout: .seconds(15))
            #expect(connect.stderr.contains("revoked"))
        }
    }

    @Test("tunnel refusals are precise: dead target, forged grant")
    func refusals() async throws {
        try await Self.withStack { idp, pg, broker in
            let alice = try ClientCLI(broker: broker, name: "alice")
            _ = try await alice.loginWithDeviceFlow(idp: idp, subject: "alice", groups: ["eng"])
            let (connect, port, session) = try await alice.connect("dead-target")
            let attempt = try await PostgresServer.psql(port: port, ["-c", "select 1"])
            #expect(attempt.status != 0)
            try await connect.waitForOutput("cannot reach dead-target")
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
            let events = try await Evidence.auditEvents(broker)
            #expect(events.contains { $0.session == session && $0.action == "connection.error" })

            let forged = try await TunnelProbe.upgrade(broker: broker, grant: "eyJhbGciOiJub25lIn0.e30.")
            #expect(forged.status == 401)
            #expect(forged.body.contains("invalid_grant"))
        }
    }

    @Test("another local user cannot ride the session through the forwarded port")
    func foreignLocalUserRefused() async throws {
        try await Self.withStack { idp, pg, broker in
            let agent = try await ClientCLI.loggedIn(broker)
            let (connect, port, session) = try await agent.connect("pg-demo")
            let intruder = try await ChildProcess.run(
                "/usr/sbin/runuser",
                [
                    "-u", "nobody", "--", "/usr/bin/psql", "-h", "127.0.0.1", "-p", String(port), "-U", "hoop_scram",
                    "-d", "testdb", "-X", "-c", "select 1",
                ],
                environment: ["PGPASSWORD": PostgresServer.password, "PGCONNECT_TIMEOUT": "10"]
            )
            #expect(intruder.status != 0)
            try await connect.waitForOutput("refused a connection from user \(getpwnam("nobody").pointee.pw_uid)")
            // The owner still gets through, and the intruder never reached the broker.
            let owner = try await PostgresServer.psql(port: port, ["-c", "select 1"])
            #expect(owner.status == 0)
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
            let opened = try await Evidence.auditEvents(broker).filter {
                $0.session == session && $0.action == "connection.open"
            }
            #expect(opened.count == 1)
            #expect(opened.first?.details["via"]?.stringValue == "tunnel")
        }
    }
}
