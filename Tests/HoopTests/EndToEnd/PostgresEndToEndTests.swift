import Foundation
import HoopCore
import Local
import Testing

@testable import Broker

/// The PostgreSQL engine against a real PostgreSQL 15: clients log in with the session's own password, the broker
/// logs in with held SCRAM or md5 credentials, and what runs is recorded per statement.
@Suite("End to end: PostgreSQL engine", .serialized)
struct PostgresEndToEndTests {
    static func resources(pgPort: Int, user: String = "hoop_scram", tls: String = "prefer", caFile: String? = nil)
        -> String
    {
        """
          - name: pg-prod
            type: postgres
            address: 127.0.0.1:\(pgPort)
            database: testdb
            username: \(user)
            password_env: PG_PROD_PASSWORD
            tls: \(tls)
        \(caFile.map { "    ca_file: \($0)" } ?? "")
            allow_groups: [eng, agents]
        """
    }

    static func withStack(
        user: String = "hoop_scram",
        heldPassword: String = PostgresServer.password,
        tls: String = "prefer",
        caFile: ((PostgresServer) -> String)? = nil,
        _ body: (IdentityProvider, PostgresServer, BrokerProcess, ClientCLI) async throws -> Void
    ) async throws {
        try await IdentityProvider.with { idp in
            try await PostgresServer.with { pg in
                let broker = try await BrokerProcess(
                    issuer: idp.issuer,
                    resourcesYAML: resources(pgPort: pg.port, user: user, tls: tls, caFile: caFile?(pg)),
                    environment: ["PG_PROD_PASSWORD": heldPassword]
                )
                defer { broker.remove() }
                try await broker.stoppingAfter {
                    try await body(idp, pg, broker, try await ClientCLI.loggedIn(broker))
                }
            }
        }
    }

    /// `connect --output json` for a postgres resource: port plus the per-session login.
    static func connect(_ agent: ClientCLI) async throws -> (ChildProcess, Int, String, String) {
        let process = try agent.spawn(["connect", "pg-prod", "--port", "0", "--output", "json"])
        try await process.waitForOutput("\"port\"", timeout: .seconds(30))
        let line = process.stdout.split(separator: "\n").first { $0.contains("\"port\"") } ?? ""
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let port = object["port"] as? Int, let session = object["session"] as? String,
            let password = object["password"] as? String, let uri = object["uri"] as? String
        else {
            throw PeerError("unreadable connect output: \(process.stdout)")
        }
        #expect(object["user"] as? String == "hoop")
        #expect(object["database"] as? String == "testdb")
        #expect(uri.hasPrefix("postgresql://hoop:"))
        return (process, port, session, password)
    }

    /// The test server's own certificate, which is its CA for verify-full.
    static func serverCertificate(_ server: PostgresServer) -> String {
        server.directory.appendingPathComponent("ca.pem").path
    }

    static func psql(port: Int, password: String, _ arguments: [String]) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try await ChildProcess.run(
            "/usr/bin/psql",
            ["-h", "127.0.0.1", "-p", String(port), "-U", "hoop", "-d", "postgres", "-X", "-q", "-A", "-t"] + arguments,
            environment: ["PGPASSWORD": password, "PGCONNECT_TIMEOUT": "10", "PGSSLMODE": "prefer"]
        )
    }

    @Test("psql logs in with the session password; the broker holds the SCRAM login; statements are recorded")
    func psqlThroughTheEngine() async throws {
        try await Self.withStack { _, _, broker, agent in
            let (connect, port, session, password) = try await Self.connect(agent)
            let result = try await Self.psql(
                port: port,
                password: password,
                [
                    "-c", "select current_user, current_database()", "-c", "select 'a''b' as quoted, null as nothing",
                    "-c", "select n from generate_series(1, 250) n, pg_sleep(0.1)",
                ]
            )
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("hoop_scram|testdb"))
            #expect(result.stdout.contains("a'b|"))

            let wrong = try await Self.psql(port: port, password: "not-the-session-password", ["-c", "select 1"])
            #expect(wrong.status != 0)
            #expect(wrong.stderr.contains("password authentication failed"))
            #expect(!wrong.stderr.contains(PostgresServer.password))

            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
            #expect(try await agent.run(["sessions", "revoke", session]).status == 0)
            let recording = try Evidence.recording(broker, session: session)
            let queries = recording.filter { $0.kind == .query }.compactMap { $0.details["sql"]?.stringValue }
            #expect(queries.contains("select current_user, current_database()"))
            let results = recording.filter { $0.kind == .result }
            #expect(results.contains { $0.details["tag"]?.stringValue == "SELECT 1" })
            #expect(results.contains { $0.details["rows"] == [["hoop_scram", "testdb"]] })
            #expect(results.contains { $0.details["rows"] == [["a'b", nil]] })
            // Rows beyond the resource's record_rows (100 by default) are counted, not kept; timing is per statement.
            let big = results.first { $0.details["row_count"]?.intValue == 250 }
            if case .array(let kept)? = big?.details["rows"] { #expect(kept.count == 100) }
            #expect(big?.details["truncated"] == .bool(true))
            #expect((big?.details["duration_us"]?.intValue ?? 0) >= 100_000)
            // The held password never reaches the recording.
            let text = try String(
                contentsOf: broker.dataDir.appendingPathComponent("recordings/\(session).jsonl"),
                encoding: .utf8
            )
            #expect(!text.contains(PostgresServer.password))
        }
    }

    @Test("an md5 target login works too")
    func md5Target() async throws {
        try await Self.withStack(user: "hoop_md5") { _, _, _, agent in
            let (connect, port, _, password) = try await Self.connect(agent)
            let result = try await Self.psql(port: port, password: password, ["-c", "select current_user"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("hoop_md5"))
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
    }

    @Test("a target asking for the password in clear text gets it over TLS only, never on a plain connection")
    func cleartextPasswordNeedsTLS() async throws {
        try await Self.withStack(user: "hoop_plain", tls: "disable") { _, _, _, agent in
            let (connect, port, _, password) = try await Self.connect(agent)
            let refused = try await Self.psql(port: port, password: password, ["-c", "select current_user"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("in clear text on a connection without TLS"), "\(refused.stderr)")
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
        try await Self.withStack(user: "hoop_plain", tls: "require") { _, _, _, agent in
            let (connect, port, _, password) = try await Self.connect(agent)
            let result = try await Self.psql(port: port, password: password, ["-c", "select current_user"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("hoop_plain"))
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
    }

    @Test("pgbench initialises and runs in simple, extended and prepared modes with 8 clients")
    func pgbench() async throws {
        try await Self.withStack { _, _, _, agent in
            let (connect, port, _, password) = try await Self.connect(agent)
            let environment = ["PGPASSWORD": password, "PGSSLMODE": "disable"]
            let common = ["-h", "127.0.0.1", "-p", String(port), "-U", "hoop"]
            let initialise = try await ChildProcess.run(
                "/usr/lib/postgresql/15/bin/pgbench",
                ["-i", "-s", "1", "-q"] + common + ["testdb"],
                environment: environment
            )
            #expect(initialise.status == 0, "\(initialise.stderr)")
            for mode in ["simple", "extended", "prepared"] {
                let run = try await ChildProcess.run(
                    "/usr/lib/postgresql/15/bin/pgbench",
                    ["-M", mode, "-c", "8", "-j", "2", "-t", "50"] + common + ["testdb"],
                    environment: environment,
                    timeout: .seconds(180)
                )
                #expect(run.status == 0, "\(mode): \(run.stderr)")
                #expect(
                    run.stdout.contains("number of transactions actually processed: 400/400"), "\(mode): \(run.stdout)")
                #expect(run.stdout.contains("number of failed transactions: 0"), "\(mode): \(run.stdout)")
            }
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
    }

    @Test("a cancel request from psql reaches the target backend and stops pg_sleep")
    func cancel() async throws {
        try await Self.withStack { _, _, _, agent in
            let (connect, port, _, password) = try await Self.connect(agent)
            let sleeper = try ChildProcess(
                "psql",
                executable: "/usr/bin/psql",
                arguments: [
                    "-h", "127.0.0.1", "-p", String(port), "-U", "hoop", "-d", "testdb", "-X", "-c",
                    "select pg_sleep(60)",
                ],
                environment: ["PGPASSWORD": password]
            )
            try await Task.sleep(for: .seconds(2))
            let started = ContinuousClock.now
            sleeper.signal(SIGINT)  // psql sends a CancelRequest on a new connection
            let status = try await sleeper.waitForExit(timeout: .seconds(20))
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(status != 0)
            #expect(sleeper.stderr.contains("canceling statement due to user request"), "\(sleeper.stderr)")
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
    }

    @Test("COPY FROM STDIN and COPY TO STDOUT carry data intact both ways")
    func copyBothWays() async throws {
        try await Self.withStack { _, _, broker, agent in
            let (connect, port, _, password) = try await Self.connect(agent)
            let payload =
                (1...5_000).map { "\($0)\tline \($0) " + String(repeating: "é", count: $0 % 50) }.joined(
                    separator: "\n") + "\n"
            let upFile = broker.directory.appendingPathComponent("copy-up.tsv")
            let downFile = broker.directory.appendingPathComponent("copy-down.tsv")
            try payload.write(to: upFile, atomically: true, encoding: .utf8)
            let result = try await Self.psql(
                port: port,
                password: password,
                [
                    "-v", "ON_ERROR_STOP=1", "-c", "create table copied(n int, text text)",
                    "-c", "\\copy copied from '\(upFile.path)'",
                    "-c", "\\copy (select * from copied order by n) to '\(downFile.path)'",
                ]
            )
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try Data(contentsOf: downFile) == Data(payload.utf8))
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
    }

    @Test(
        "the broker's connection to the target follows the resource's tls mode",
        arguments: [("disable", false), ("prefer", true), ("require", true), ("verify-full", true)]
    )
    func targetTLSModes(mode: String, encrypted: Bool) async throws {
        try await Self.withStack(tls: mode, caFile: Self.serverCertificate) {
            _, _, _, agent in
            let (connect, port, _, password) = try await Self.connect(agent)
            let result = try await Self.psql(
                port: port,
                password: password,
                ["-c", "select ssl from pg_stat_ssl where pid = pg_backend_pid()"]
            )
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == (encrypted ? "t" : "f"))
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
    }

    @Test("verify-full refuses a target whose certificate the configured CA did not sign")
    func verifyFullWrongCA() async throws {
        // A CA of its own, which certainly did not sign the PostgreSQL server's certificate.
        let directory = try TestEnvironment.scratchDirectory("wrong-ca")
        defer { try? FileManager.default.removeItem(at: directory) }
        let wrongCA = directory.appendingPathComponent("ca.pem").path
        let made = try await ChildProcess.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-keyout", directory.appendingPathComponent("key.pem").path, "-out", wrongCA,
            ]
        )
        #expect(made.status == 0)
        func unrelatedCA(_: PostgresServer) -> String { wrongCA }
        try await Self.withStack(tls: "verify-full", caFile: unrelatedCA) { _, _, broker, agent in
            _ = broker
            let (connect, port, _, password) = try await Self.connect(agent)
            let result = try await Self.psql(port: port, password: password, ["-c", "select 1"])
            #expect(result.status != 0)
            #expect(result.stderr.contains("the broker could not log in to the target"), "\(result.stderr)")
            #expect(result.stderr.lowercased().contains("certificate"), "\(result.stderr)")
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
    }

    @Test("a wrong held password gives the client a clear error and an audit event, and leaks nothing")
    func wrongHeldPassword() async throws {
        try await Self.withStack(heldPassword: "not-the-real-one") { _, _, broker, agent in
            let (connect, port, session, password) = try await Self.connect(agent)
            let result = try await Self.psql(port: port, password: password, ["-c", "select 1"])
            #expect(result.status != 0)
            #expect(result.stderr.contains("the broker could not log in to the target"), "\(result.stderr)")
            #expect(result.stderr.contains("password authentication failed"), "\(result.stderr)")
            #expect(!result.stderr.contains("not-the-real-one"))
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
            try await Task.sleep(for: .milliseconds(300))
            let events = try await Evidence.auditEvents(broker)
            let failure = events.first { $0.session == session && $0.action == "connection.error" }
            #expect(failure?.details["code"]?.stringValue == "target_login_failed")
            let audited = failure?.details["message"]?.stringValue ?? ""
            #expect(audited.contains("password authentication failed"))
            #expect(audited.contains("not-the-real-one") == false)
        }
    }

    @Test("a malformed message from the client gets a protocol-violation error, and the broker carries on")
    func malformedClientMessage() async throws {
        try await Self.withStack { _, _, _, agent in
            let (connect, port, _, password) = try await Self.connect(agent)
            let client = try RawPostgresClient(port: port)
            try client.login(password: password)
            // Type byte 'Y' is no frontend message; length 4 means an empty body.
            try client.sendRaw([UInt8(ascii: "Y"), 0, 0, 0, 4])
            guard case .errorResponse(let diagnostic)? = try client.receive() else {
                Issue.record("no ErrorResponse for a malformed message")
                return
            }
            #expect(diagnostic.sqlState == .protocolViolation)
            #expect(try client.receive() == nil)
            // Another connection of the same session still works.
            let after = try await Self.psql(port: port, password: password, ["-c", "select 2"])
            #expect(after.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
    }

    @Test("exec runs SQL without a local port: JSON, CSV, stdin, errors, and its session is revoked afterwards")
    func exec() async throws {
        try await Self.withStack { _, _, broker, agent in
            let json = try await agent.run([
                "exec", "pg-prod", "--output", "json", "--reason", "agent check", "--",
                "select 1 as one, null as nothing; select 'a,b' as letter",
            ])
            #expect(json.status == 0, "\(json.stderr)")
            let statements = try JSONDecoder().decode([SQLStatementResult].self, from: Data(json.stdout.utf8))
            #expect(statements.count == 2)
            #expect(statements.first?.columns == ["one", "nothing"])
            #expect(statements.first?.rows == [["1", nil]])
            #expect(statements.last?.tag == "SELECT 1")

            let csv = try await agent.run([
                "exec", "pg-prod", "--output", "csv", "--", "select 'a,b' as letter, 2 as n",
            ])
            #expect(csv.stdout == "letter,n\n\"a,b\",2\n")

            let input = try TestEnvironment.scratchDirectory("exec-stdin")
            defer { try? FileManager.default.removeItem(at: input) }
            let file = input.appendingPathComponent("query.sql")
            try "select 40 + 2 as answer".write(to: file, atomically: true, encoding: .utf8)
            let fromStdin = try await ChildProcess.run(
                TestEnvironment.hoopctl,
                ["exec", "pg-prod", "--output", "csv"],
                environment: agent.environment,
                stdin: try FileHandle(forReadingFrom: file)
            )
            #expect(fromStdin.stdout == "answer\n42\n", "\(fromStdin.stderr)")

            let failing = try await agent.run([
                "exec", "pg-prod", "--output", "json", "--", "select * from no_such_table",
            ])
            #expect(failing.status == ExitStatus.error.rawValue)
            #expect(failing.stdout.contains("42P01"))
            #expect(failing.stderr.contains("no_such_table"))

            try await Task.sleep(for: .milliseconds(500))
            let listed = try await agent.run(["sessions", "--output", "json"])
            let sessions = try HoopJSON.decoder().decode([SessionInfo].self, from: Data(listed.stdout.utf8))
            #expect(sessions.count == 4)
            #expect(sessions.allSatisfy { $0.status == .revoked })
            let events = try await Evidence.auditEvents(broker)
            #expect(
                events.contains { $0.action == "session.grant" && $0.details["reason"]?.stringValue == "agent check" })
        }
    }

    @Test("interactive psql in a terminal works through the engine, statement by statement")
    func interactivePsql() async throws {
        try await Self.withStack { _, _, broker, agent in
            let (connect, port, session, password) = try await Self.connect(agent)
            let terminal = try await TerminalDriver.start(
                "env PGPASSWORD=\(password) psql -X -h 127.0.0.1 -p \(port) -U hoop testdb", name: "hoop-psql-\(port)")
            defer { Task { await terminal.close() } }
            try await terminal.waitFor("testdb=#")
            try await terminal.type("select 'typed at a prompt' as greeting \\g")
            try await terminal.waitFor("(1 row)")
            try await terminal.type("\\dt")
            try await terminal.waitFor("testdb=#")
            try await terminal.type("\\q")
            try await Task.sleep(for: .milliseconds(500))
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
            let recording = try Evidence.recording(broker, session: session)
            let queries = recording.filter { $0.kind == .query }.compactMap { $0.details["sql"]?.stringValue }
            // psql sends what was typed without the terminating semicolon; \dt becomes psql's catalog query.
            #expect(queries.contains { $0.hasPrefix("select 'typed at a prompt' as greeting") })
            #expect(queries.contains { $0.contains("pg_catalog.pg_class") })
        }
    }
}
