import Foundation
import HoopCore
import Testing

@testable import Broker

/// Audit evidence end to end: a PostgreSQL session with masked results is exported by an auditor as a signed
/// bundle, verified offline with the published key, replayed from the broker and from the bundle; tampering with
/// the bundle or the live store is caught; key rotation and retention keep the chain verifiable.
@Suite("End to end: audit evidence", .serialized)
struct EvidenceEndToEndTests {
    static func resources(pgPort: Int) -> String {
        """
          - name: pg-audited
            type: postgres
            address: 127.0.0.1:\(pgPort)
            database: testdb
            username: hoop_scram
            password_env: PG_PASSWORD
            allow_groups: [agents]
            masking:
              detectors: [email]
        """
    }

    static func withStack(
        extraYAML: String = "",
        _ body: (IdentityProvider, PostgresServer, BrokerProcess, ClientCLI, ClientCLI) async throws -> Void
    ) async throws {
        try await IdentityProvider.with { idp in
            try await PostgresServer.with { pg in
                _ = try await PostgresServer.psql(
                    port: pg.port,
                    [
                        "-c",
                        "create table people (id int, email text); insert into people values (1, 'ada@example.com')",
                    ]
                )
                let broker = try await BrokerProcess(
                    issuer: idp.issuer, resourcesYAML: resources(pgPort: pg.port),
                    extraYAML: "auditor_groups: [audit]\n" + extraYAML,
                    environment: ["PG_PASSWORD": PostgresServer.password])
                defer { broker.remove() }
                try await broker.stoppingAfter {
                    let agent = try await ClientCLI.loggedIn(broker)
                    try await idp.addClient("auditor", secret: "auditor-secret", groups: ["audit"], subject: "carol")
                    let auditor = try await ClientCLI.loggedIn(
                        broker, name: "auditor", clientID: "auditor", secret: "auditor-secret")
                    try await body(idp, pg, broker, agent, auditor)
                }
            }
        }
    }

    /// Runs two statements through exec and returns the session id.
    static func runSession(_ agent: ClientCLI) async throws -> String {
        let exec = try await agent.run([
            "exec", "pg-audited", "--output", "json", "--", "select id, email from people; select 42 as answer",
        ])
        #expect(exec.status == 0, "\(exec.stderr)")
        let list = try await agent.run(["sessions", "--resource", "pg-audited", "--output", "json"])
        guard let match = list.stdout.firstMatch(of: /"id":"(ses_[0-9a-f]+)"/) else {
            throw PeerError("no session listed: \(list.stdout)")
        }
        return String(match.1)
    }

    @Test("export, offline verify with the published key, replay from broker and bundle, and tamper detection")
    func exportVerifyReplay() async throws {
        try await Self.withStack { idp, _, broker, agent, auditor in
            let session = try await Self.runSession(agent)

            let replay = try await agent.run(["replay", session, "--no-timing"])
            #expect(replay.status == 0, "\(replay.stderr)")
            let first = try #require(replay.stdout.range(of: "select id, email from people"))
            let second = try #require(replay.stdout.range(of: "select 42 as answer"))
            #expect(first.lowerBound < second.lowerBound, "statements replay in order")
            #expect(replay.stdout.contains("[EMAIL]"), "masked rows replay masked")
            #expect(!replay.stdout.contains("ada@example.com"))
            let grep = try await agent.run(["replay", session, "--no-timing", "--grep", "PEOPLE", "--ignore-case"])
            #expect(grep.stdout.contains("people") && grep.stdout.contains("[EMAIL]"))
            let none = try await agent.run(["replay", session, "--no-timing", "--grep", "no such statement"])
            #expect(none.status == 0 && !none.stdout.contains("people"))

            let denied = try await agent.run(["audit", "export", "--out", broker.directory.path + "/nope"])
            #expect(denied.status == 3, "only auditors export")

            let bundle = broker.directory.appendingPathComponent("bundle").path
            let export = try await auditor.run(["audit", "export", "--out", bundle])
            #expect(export.status == 0, "\(export.stderr)")
            let pubkey = try await Evidence.publishedKey(broker)
            let verify = try await auditor.run(["audit", "verify", bundle, "--pubkey", pubkey, "--output", "json"])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("\"ok\":true"))
            #expect(FileManager.default.fileExists(atPath: bundle + "/recordings/\(session).jsonl"))

            // The export is a plain tar stream: an auditor can also fetch it with curl and unpack it with tar.
            let token = try await idp.clientCredentialsToken("auditor", secret: "auditor-secret")
            let raw = broker.directory.appendingPathComponent("raw.tar").path
            let fetched = try await ChildProcess.run(
                "/usr/bin/curl",
                [
                    "-sS", "-f", "--cacert", broker.caFile.path, "-H", "Authorization: Bearer \(token)", "-o", raw,
                    broker.url + APIPath.auditExport,
                ])
            #expect(fetched.status == 0, "\(fetched.stderr)")
            let listing = try await ChildProcess.run("/usr/bin/tar", ["-tf", raw])
            #expect(listing.status == 0, "\(listing.stderr)")
            let listed = Set(listing.stdout.split(separator: "\n").map(String.init))
            #expect(listed.isSuperset(of: ["manifest.json", "events.jsonl", "recordings/\(session).jsonl"]))

            let fromBundle = try await auditor.run(["replay", session, "--bundle", bundle, "--no-timing"])
            #expect(fromBundle.stdout == replay.stdout)

            let table = try await auditor.run([
                "audit", "export", "--format", "csv", "--out", "-", "--session", session,
            ])
            #expect(table.status == 0)
            #expect(table.stdout.hasPrefix("seq,time,actor,action"))
            #expect(table.stdout.contains("session.grant"))
            #expect(!table.stdout.contains("broker.start"), "filtered out")

            // Edit one event in the exported bundle: verification names the broken link.
            let eventsFile = bundle + "/events.jsonl"
            let original = try String(contentsOfFile: eventsFile, encoding: .utf8)
            try original.replacingOccurrences(of: "\"session.grant\"", with: "\"session.deny\"")
                .write(toFile: eventsFile, atomically: true, encoding: .utf8)
            let tampered = try await auditor.run(["audit", "verify", bundle, "--pubkey", pubkey])
            #expect(tampered.status == 1)
            #expect(tampered.stdout.contains("seq"), "\(tampered.stdout)")

            // A bundle re-signed by someone else fails against the published key.
            let bogus = broker.directory.appendingPathComponent("bogus.pub").path
            try "ed25519:\(Data(repeating: 7, count: 32).base64EncodedString())\n"
                .write(toFile: bogus, atomically: true, encoding: .utf8)
            try original.write(toFile: eventsFile, atomically: true, encoding: .utf8)
            #expect(try await auditor.run(["audit", "verify", bundle, "--pubkey", pubkey]).status == 0)
            #expect(try await auditor.run(["audit", "verify", bundle, "--pubkey", bogus]).status == 1)

            // Tamper with the live store: the operator's check catches the edited event.
            await broker.stop()
            let database = broker.dataDir.appendingPathComponent("broker.db").path
            let edit = try await ChildProcess.run(
                "/usr/bin/sqlite3", [database, "update audit_events set actor = 'nobody' where seq = 2"])
            #expect(edit.status == 0, "\(edit.stderr)")
            let check = try await ChildProcess.run(
                TestEnvironment.hoopctl, ["broker", "audit", "--config", broker.configFile.path])
            #expect(check.status == 1)
            #expect(check.stderr.contains("seq 2"))
        }
    }

    @Test("key rotation is signed by the old key and exports still verify against the first published key")
    func keyRotation() async throws {
        try await Self.withStack { idp, _, broker, agent, auditor in
            _ = try await Self.runSession(agent)
            let firstKey = try await ChildProcess.run(
                TestEnvironment.hoopctl, ["broker", "pubkey", "--config", broker.configFile.path])
            await broker.stop()
            let rotate = try await ChildProcess.run(
                TestEnvironment.hoopctl, ["broker", "rotate-audit-key", "--config", broker.configFile.path])
            #expect(rotate.status == 0, "\(rotate.stderr)")
            let restarted = try await BrokerProcess(
                restarting: broker, environment: ["PG_PASSWORD": PostgresServer.password])
            _ = try await Self.runSession(agent)
            let bundle = broker.directory.appendingPathComponent("rotated").path
            #expect(try await auditor.run(["audit", "export", "--out", bundle]).status == 0)
            let pub = broker.directory.appendingPathComponent("first.pub").path
            try firstKey.stdout.write(toFile: pub, atomically: true, encoding: .utf8)
            let verify = try await auditor.run(["audit", "verify", bundle, "--pubkey", pub])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("rotation"))
            await restarted.stop()
            _ = idp
        }
    }

    @Test("retention replaces old recordings by signed tombstones and the chain still verifies")
    func retention() async throws {
        try await Self.withStack(extraYAML: "retention:\n  recordings: 1s\n") { _, _, broker, agent, auditor in
            let session = try await Self.runSession(agent)
            let recording = broker.dataDir.appendingPathComponent("recordings/\(session).jsonl").path
            let tombstone = broker.dataDir.appendingPathComponent("recordings/\(session).tombstone.json").path
            // The keeper prunes once a minute, starting when the broker starts: restart once the session is old.
            await broker.stop()
            try await Task.sleep(for: .milliseconds(1_200))
            let restarted = try await BrokerProcess(
                restarting: broker, environment: ["PG_PASSWORD": PostgresServer.password])
            for _ in 0..<100 where FileManager.default.fileExists(atPath: recording) {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(!FileManager.default.fileExists(atPath: recording))
            #expect(FileManager.default.fileExists(atPath: tombstone))
            let replay = try await agent.run(["replay", session])
            #expect(replay.status != 0)
            #expect(replay.stderr.contains("pruned"))
            let bundle = broker.directory.appendingPathComponent("pruned").path
            #expect(try await auditor.run(["audit", "export", "--out", bundle]).status == 0)
            #expect(FileManager.default.fileExists(atPath: bundle + "/recordings/\(session).tombstone.json"))
            let verify = try await auditor.run(["audit", "verify", bundle])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            let events = try await Evidence.auditEvents(broker)
            #expect(events.contains { $0.action == "recording.pruned" && $0.session == session })
            await restarted.stop()
        }
    }
}
