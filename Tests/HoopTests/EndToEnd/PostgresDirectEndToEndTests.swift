import Foundation
import HoopCore
import Testing

@testable import Broker

/// Direct mode against a real PostgreSQL and real psql/libpq: `hoopctl connect --direct` opens a session and prints
/// a `sslmode=verify-full` URI for the broker's own PostgreSQL port, psql connects there without a local hop, and
/// the connection is the tunnel's in every other respect (guardrails, masking, recording, cancel, revocation).
@Suite("End to end: PostgreSQL direct mode", .serialized)
struct PostgresDirectEndToEndTests {
    static let setup = """
        create table people (id int, email text);
        insert into people values (1, 'ada@example.com');
        grant all on people to hoop_scram;
        """

    static func resources(pgPort: Int) -> String {
        """
          - name: pg-direct
            type: postgres
            address: 127.0.0.1:\(pgPort)
            database: testdb
            username: hoop_scram
            password_env: PG_PASSWORD
            allow_direct: true
            allow_groups: [agents]
            guardrails:
              - name: no-drops
                match: [drop]
                action: block
            masking:
              detectors: [email]
              strategy: redact
          - name: pg-loopback
            type: postgres
            address: 127.0.0.1:\(pgPort)
            database: testdb
            username: hoop_scram
            password_env: PG_PASSWORD
            allow_groups: [agents]
        """
    }

    /// A broker with the direct listener (login timeout 2s), a logged-in agent, and the direct port.
    static func withStack(
        _ body: (BrokerProcess, ClientCLI, Int) async throws -> Void
    ) async throws {
        try await IdentityProvider.with { idp in
            try await PostgresServer.with { pg in
                let setup = try await PostgresServer.psql(port: pg.port, ["-c", Self.setup])
                #expect(setup.status == 0, "\(setup.stderr)")
                let initialise = try await ChildProcess.run(
                    Self.pgbench,
                    ["-i", "-s", "1", "-q", "-h", "127.0.0.1", "-p", String(pg.port), "-U", "hoop_scram", "testdb"],
                    environment: ["PGPASSWORD": PostgresServer.password, "PGSSLMODE": "disable"])
                #expect(initialise.status == 0, "\(initialise.stderr)")
                let directPort = try TestEnvironment.freePort()
                let broker = try await BrokerProcess(
                    issuer: idp.issuer,
                    resourcesYAML: resources(pgPort: pg.port),
                    extraYAML: """
                        postgres_direct:
                          listen: 127.0.0.1:\(directPort)
                          login_timeout: 2s
                        """,
                    environment: ["PG_PASSWORD": PostgresServer.password]
                )
                defer { broker.remove() }
                try await broker.stoppingAfter {
                    try await waitForListener(port: directPort)
                    // What operators (and bench/run) wait for.
                    _ = try await broker.waitForOutput("postgres direct listening on 127.0.0.1:\(directPort)")
                    try await body(broker, try await ClientCLI.loggedIn(broker), directPort)
                }
            }
        }
    }

    /// The listener is a service of its own, started beside the API: wait until it accepts.
    static func waitForListener(port: Int) async throws {
        for _ in 0..<50 {
            if (try? RawPostgresClient(port: port)) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PeerError("the direct listener on \(port) never accepted")
    }

    /// What `connect --direct --output json` printed.
    struct DirectLogin {
        var process: ChildProcess
        var session: String
        var uri: String
        var user: String
        var password: String
        var environment: [String: String]
    }

    static func connectDirect(_ agent: ClientCLI, _ resource: String = "pg-direct", extra: [String] = [])
        async throws -> DirectLogin
    {
        let process = try agent.spawn(["connect", resource, "--direct", "--output", "json"] + extra)
        try await process.waitForOutput("\"uri\"", timeout: .seconds(30))
        let line = process.stdout.split(separator: "\n").first { $0.contains("\"uri\"") } ?? ""
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let session = object["session"] as? String, let uri = object["uri"] as? String,
            let user = object["user"] as? String, let password = object["password"] as? String,
            let environment = object["env"] as? [String: String]
        else {
            throw PeerError("unreadable connect --direct output: \(process.stdout)")
        }
        return DirectLogin(
            process: process, session: session, uri: uri, user: user, password: password, environment: environment)
    }

    /// psql with nothing but the given libpq environment (no PGPASSFILE, no service file).
    static func psql(_ environment: [String: String], _ arguments: [String]) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try await ChildProcess.run(
            "/usr/bin/psql", ["-X", "-q", "-A", "-t"] + arguments,
            environment: environment.merging(["PGCONNECT_TIMEOUT": "10"]) { first, _ in first })
    }

    @Test("psql with verify-full connects through direct mode: masked, guarded, recorded, cancellable")
    func psqlVerifyFull() async throws {
        try await Self.withStack { broker, agent, directPort in
            let login = try await Self.connectDirect(agent)
            #expect(login.user.hasPrefix("hoop_") && login.user != "hoop")
            #expect(login.uri.hasPrefix("postgresql://\(login.user):"))
            #expect(login.uri.contains("@127.0.0.1:\(directPort)/testdb?sslmode=verify-full&sslrootcert="))
            #expect(login.environment["PGHOST"] == "127.0.0.1")
            #expect(login.environment["PGPORT"] == String(directPort))
            #expect(login.environment["PGUSER"] == login.user)
            #expect(login.environment["PGPASSWORD"] == login.password)
            #expect(login.environment["PGSSLMODE"] == "verify-full")
            #expect(login.environment["PGSSLROOTCERT"] == broker.caFile.standardizedFileURL.path)

            // The printed URI alone is enough.
            let byURI = try await Self.psql(
                [:],
                [
                    login.uri, "-c", "\\conninfo", "-c", "select email from people",
                ])
            #expect(byURI.status == 0, "\(byURI.stderr)")
            #expect(byURI.stdout.contains("SSL connection"), "psql reports TLS to the broker: \(byURI.stdout)")
            #expect(byURI.stdout.contains("[EMAIL]"), "\(byURI.stdout)")
            #expect(!byURI.stdout.contains("ada@example.com"))

            // So is the printed environment; the guardrail refuses what it must.
            let dropped = try await Self.psql(login.environment, ["-c", "drop table people"])
            #expect(dropped.status != 0)
            #expect(dropped.stderr.contains("blocked by guardrail 'no-drops'"), "\(dropped.stderr)")

            // psql's cancel (a CancelRequest on a new connection to the same port) stops the query.
            let sleeper = try ChildProcess(
                "psql", executable: "/usr/bin/psql", arguments: ["-X", "-c", "select pg_sleep(60)"],
                environment: login.environment)
            try await Task.sleep(for: .seconds(2))
            let started = ContinuousClock.now
            sleeper.signal(SIGINT)
            let status = try await sleeper.waitForExit(timeout: .seconds(20))
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(status != 0)
            #expect(sleeper.stderr.contains("canceling statement due to user request"), "\(sleeper.stderr)")

            login.process.signal(SIGINT)
            _ = try await login.process.waitForExit()
            #expect(try await agent.run(["sessions", "revoke", login.session]).status == 0)

            // In text, the same as shell lines to paste.
            let text = try agent.spawn(["connect", "pg-direct", "--direct"])
            let shown = try await text.waitForOutput("export PGUSER", timeout: .seconds(30))
            #expect(shown.contains("export PGSSLMODE='verify-full'"), "\(shown)")
            #expect(shown.contains("export PGPORT='\(directPort)'"))
            #expect(shown.contains("psql \"postgresql://hoop_"))
            text.signal(SIGINT)
            _ = try await text.waitForExit()

            let recording = try Evidence.recording(broker, session: login.session)
            let queries = recording.filter { $0.kind == .query }.compactMap { $0.details["sql"]?.stringValue }
            #expect(queries.contains("select email from people"))
            #expect(queries.contains("select pg_sleep(60)"))
            #expect(recording.contains { $0.kind == .query && $0.details["cancel"] == .bool(true) })
            #expect(recording.contains { $0.kind == .open })
            let events = try await Evidence.auditEvents(broker)
            let opens = events.filter { $0.action == "connection.open" && $0.session == login.session }
            #expect(opens.count >= 4, "each psql connection, and the cancel's, is audited")
            #expect(opens.allSatisfy { $0.details["via"]?.stringValue == "postgres_direct" })
            #expect(events.contains { $0.action == "connection.close" && $0.session == login.session })
        }
    }

    static let pgbench = "/usr/lib/postgresql/15/bin/pgbench"

    @Test("a client that pinned the broker on first use gets the pinned certificate as sslrootcert, removed at exit")
    func pinnedTrust() async throws {
        try await Self.withStack { broker, _, _ in
            let pinned = try ClientCLI(
                broker: broker, name: "pinned", trustCA: false, extra: ["HOOP_CLIENT_SECRET": "ci-agent-secret"])
            let login = try await pinned.run(["login", "--client-id", "ci-agent"])
            #expect(login.status == 0, "\(login.stderr)")
            let direct = try await Self.connectDirect(pinned)
            let rootCertificate = try #require(direct.environment["PGSSLROOTCERT"])
            #expect(rootCertificate.hasPrefix(pinned.home.path) && rootCertificate.hasSuffix("/broker-ca.pem"))
            let result = try await Self.psql(direct.environment, ["-c", "select 1"])
            #expect(result.status == 0, "\(result.stderr)")
            direct.process.signal(SIGINT)
            _ = try await direct.process.waitForExit()
            #expect(!FileManager.default.fileExists(atPath: rootCertificate), "the session's file outlived connect")
        }
    }

    @Test("pgbench runs through direct mode in simple, extended and prepared modes, as bench/run drives it")
    func pgbenchModes() async throws {
        try await Self.withStack { _, agent, _ in
            let login = try await Self.connectDirect(agent)
            let environment = login.environment
            for mode in ["simple", "extended", "prepared"] {
                let run = try await ChildProcess.run(
                    Self.pgbench,
                    [
                        "-n", "-S", "-M", mode, "-c", "4", "-j", "2", "-t", "50", "-h", environment["PGHOST"] ?? "",
                        "-p", environment["PGPORT"] ?? "", "-U", login.user, "testdb",
                    ],
                    environment: environment, timeout: .seconds(120))
                #expect(run.status == 0, "\(mode): \(run.stderr)")
                #expect(
                    run.stdout.contains("number of transactions actually processed: 200/200"), "\(mode): \(run.stdout)")
            }
            login.process.signal(SIGINT)
            _ = try await login.process.waitForExit()
        }
    }

    @Test("hostile logins are refused with a FATAL that names no session, audited as tunnel.deny")
    func credentialAttacks() async throws {
        try await Self.withStack { broker, agent, _ in
            let mine = try await Self.connectDirect(agent)
            let other = try await Self.connectDirect(agent)
            var base = mine.environment
            base["PGDATABASE"] = "testdb"

            // A plaintext startup: told to use TLS, and nothing else.
            var plain = base
            plain["PGSSLMODE"] = "disable"
            let plaintext = try await Self.psql(plain, ["-c", "select 1"])
            #expect(plaintext.status != 0)
            #expect(plaintext.stderr.contains("accepts PostgreSQL connections over TLS only"), "\(plaintext.stderr)")

            // A guessed password for a real login.
            var wrong = base
            wrong["PGPASSWORD"] = "not-the-password"
            let guessed = try await Self.psql(wrong, ["-c", "select 1"])
            #expect(guessed.stderr.contains("password authentication failed for user \"\(mine.user)\""))

            // The right password under another session's user: neither session is named.
            var crossed = base
            crossed["PGUSER"] = other.user
            let swapped = try await Self.psql(crossed, ["-c", "select 1"])
            #expect(swapped.status != 0)
            #expect(swapped.stderr.contains("password authentication failed for user \"\(other.user)\""))
            #expect(!swapped.stderr.contains(mine.session) && !swapped.stderr.contains(other.session))

            // A session on a resource without allow_direct has no direct login: connect --direct says so and gives
            // the session back, and its loopback login does not open the direct port either.
            let refusedConnect = try await agent.run(["connect", "pg-loopback", "--direct", "--output", "json"])
            #expect(refusedConnect.status != 0)
            #expect(refusedConnect.stderr.contains("pg-loopback does not accept direct connections"))
            let (loopbackConnect, _, _) = try await agent.connect("pg-loopback")
            let loopbackPassword = try ApprovalsEndToEndTests.password(loopbackConnect)
            var notDirect = base
            notDirect["PGUSER"] = "hoop"
            notDirect["PGPASSWORD"] = loopbackPassword
            let viaLoopbackLogin = try await Self.psql(notDirect, ["-c", "select 1"])
            #expect(viaLoopbackLogin.status != 0)
            #expect(
                viaLoopbackLogin.stderr.contains("is the login of `hoopctl connect`'s local port"),
                "\(viaLoopbackLogin.stderr)")
            loopbackConnect.signal(SIGINT)
            _ = try await loopbackConnect.waitForExit()

            // A live connection is closed by revocation, and the login replayed afterwards is refused.
            let live = try ChildProcess(
                "psql", executable: "/usr/bin/psql", arguments: ["-X", "-c", "select pg_sleep(30)"],
                environment: base)
            try await Task.sleep(for: .seconds(2))
            #expect(try await agent.run(["sessions", "revoke", mine.session]).status == 0)
            #expect(try await live.waitForExit(timeout: .seconds(10)) != 0)
            let replayed = try await Self.psql(base, ["-c", "select 1"])
            #expect(replayed.status != 0)
            #expect(replayed.stderr.contains("password authentication failed"), "\(replayed.stderr)")
            #expect(try await mine.process.waitForExit(timeout: .seconds(20)) != 0, "connect reports the revocation")

            // An expired session's login is refused the same way.
            let brief = try await Self.connectDirect(agent, extra: ["--duration", "2s"])
            try await Task.sleep(for: .seconds(3))
            let expired = try await Self.psql(brief.environment, ["-c", "select 1"])
            #expect(expired.status != 0)
            #expect(expired.stderr.contains("password authentication failed"), "\(expired.stderr)")
            _ = try await brief.process.waitForExit(timeout: .seconds(20))

            other.process.signal(SIGINT)
            _ = try await other.process.waitForExit()

            let denials = try await Evidence.auditEvents(broker).filter { $0.action == "tunnel.deny" }
            let reasons = Set(denials.compactMap { $0.details["reason"]?.stringValue })
            for reason in ["wrong_password", "loopback_login", "session_revoked", "session_expired"] {
                #expect(reasons.contains(reason), "\(reason) not audited: \(reasons)")
            }
            #expect(denials.contains { $0.details["source"]?.stringValue == "127.0.0.1" })
        }
    }

    @Test("malformed, oversized, out-of-turn and stalled clients get a precise FATAL or a close, never a crash")
    func hostileBytes() async throws {
        try await Self.withStack { broker, agent, directPort in
            // Garbage instead of a startup packet.
            let garbage = try RawPostgresClient(port: directPort)
            try garbage.sendRaw(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            #expect(Self.fatal(garbage)?.contains("could not read the client's packet") == true)

            // A startup packet longer than PostgreSQL allows.
            let oversized = try RawPostgresClient(port: directPort)
            try oversized.sendRaw([0x00, 0x00, 0x4E, 0x20, 0x00, 0x03, 0x00, 0x00])
            #expect(Self.fatal(oversized)?.contains("10000") == true)

            // Bytes sent in the clear after SSLRequest, as an injected startup would be (CVE-2021-23214).
            let injected = try RawPostgresClient(port: directPort)
            try injected.sendRaw([0x00, 0x00, 0x00, 0x08, 0x04, 0xD2, 0x16, 0x2F] + Self.startupPacket(user: "x"))
            #expect(Self.fatal(injected) != nil)

            // GSSAPI encryption is not offered.
            let gss = try RawPostgresClient(port: directPort)
            try gss.sendRaw([0x00, 0x00, 0x00, 0x08, 0x04, 0xD2, 0x16, 0x30])
            #expect(Self.fatal(gss)?.contains("does not offer GSSAPI encryption") == true)

            // A client that connects and says nothing is told so when the login timeout passes.
            let stalled = try RawPostgresClient(port: directPort)
            let started = ContinuousClock.now
            #expect(Self.fatal(stalled)?.contains("did not log in within 2s") == true)
            #expect(ContinuousClock.now - started < .seconds(8))

            // A cancel with a key nobody was given cancels nothing and is counted.
            let cancel = try RawPostgresClient(port: directPort)
            try cancel.sendRaw([0, 0, 0, 16, 0x04, 0xD2, 0x16, 0x2E, 0, 0, 0, 1, 0xDE, 0xAD, 0xBE, 0xEF])
            #expect(try cancel.receive() == nil, "a cancel is never answered")

            // PostgreSQL 17's direct TLS (a ClientHello first) is accepted with ALPN "postgresql", and refused
            // without it once the handshake is done; either way the certificate verifies against the broker's CA.
            let alpn = try await Self.directTLS(port: directPort, ca: broker.caFile.path, alpn: true)
            #expect(alpn.contains("ALPN protocol: postgresql"), "\(alpn)")
            #expect(alpn.contains("Verify return code: 0 (ok)"))
            #expect(alpn.contains("did not log in within 2s"), "a handshake alone is no login: \(alpn)")
            let bare = try await Self.directTLS(port: directPort, ca: broker.caFile.path, alpn: false)
            #expect(bare.contains("must negotiate the ALPN protocol"), "\(bare)")

            // The broker still serves a proper client afterwards.
            let login = try await Self.connectDirect(agent)
            let fine = try await Self.psql([:], [login.uri, "-c", "select 1"])
            #expect(fine.status == 0, "\(fine.stderr)")
            login.process.signal(SIGINT)
            _ = try await login.process.waitForExit()
            #expect(broker.isRunning)
            let reasons = try await Evidence.auditEvents(broker).filter { $0.action == "tunnel.deny" }
                .compactMap { $0.details["reason"]?.stringValue }
            #expect(reasons.contains("unknown_cancel_key"))
        }
    }

    @Test("rejected direct logins count toward the per-source limit the API uses for tokens")
    func sharedRejectionLimit() async throws {
        try await Self.withStack { broker, agent, _ in
            let login = try await Self.connectDirect(agent)
            var wrong = login.environment
            wrong["PGPASSWORD"] = "guess"
            for _ in 0..<20 { _ = try await Self.psql(wrong, ["-c", "select 1"]) }
            let throttled = try await Self.psql(login.environment, ["-c", "select 1"])
            #expect(throttled.status != 0)
            #expect(throttled.stderr.contains("too many rejected logins from this address"), "\(throttled.stderr)")
            // It is the API's account too: the same address is throttled there before its token is read.
            let api = try await agent.run(["sessions", "list"])
            #expect(api.status != 0)
            #expect(api.stderr.contains("too many requests with rejected tokens"), "\(api.stderr)")
            login.process.signal(SIGINT)
            _ = try await login.process.waitForExit()
            let denials = try await Evidence.auditEvents(broker).filter { $0.action == "tunnel.deny" }
            #expect(denials.count == 5, "only the first few per window are audited one by one: \(denials.count)")
        }
    }

    /// `openssl s_client` opening with a ClientHello, as `sslnegotiation=direct` does, and staying until the broker
    /// closes; its output (the handshake report and what the broker sent).
    static func directTLS(port: Int, ca: String, alpn: Bool) async throws -> String {
        let result = try await ChildProcess.run(
            "/usr/bin/openssl",
            ["s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", ca, "-verify_return_error", "-ign_eof"]
                + (alpn ? ["-alpn", "postgresql"] : []),
            environment: [:], timeout: .seconds(20))
        return result.stdout + result.stderr
    }

    /// The message of a FATAL the broker sent, or nil when it closed without one.
    static func fatal(_ client: RawPostgresClient) -> String? {
        guard case .errorResponse(let diagnostic)? = try? client.receive() else { return nil }
        return diagnostic.message
    }

    static func startupPacket(user: String) -> [UInt8] {
        var body: [UInt8] = [0x00, 0x03, 0x00, 0x00] + Array("user".utf8) + [0] + Array(user.utf8) + [0, 0]
        let length = UInt32(body.count + 4)
        body.insert(contentsOf: withUnsafeBytes(of: length.bigEndian, Array.init), at: 0)
        return body
    }
}
