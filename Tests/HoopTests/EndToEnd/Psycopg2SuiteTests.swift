import Foundation
import Testing

/// psycopg2's own test suite (about 750 tests, from its PyPI sdist, `testing/peers/psycopg2-suite.sh`) run once
/// straight against PostgreSQL and once through the broker's PostgreSQL engine, against the same server and
/// database: a client library's whole repertoire (both encodings of every type, COPY, large objects, async and
/// green connections, notifications, cancel, two-phase commit, server-side cursors) must come out the same.
@Suite("End to end: psycopg2's test suite direct and through the broker", .serialized)
struct Psycopg2SuiteTests {
    static let database = "psycopg2_test"
    static let script = TestEnvironment.repositoryRoot.appendingPathComponent("testing/peers/psycopg2-suite.sh").path

    /// Outcomes that differ through the broker by design, not by a bug; each with its reason. Bugs never go here.
    static let acceptedDifferences: [String: String] = [
        // `conn.info.user` is what the client logged in as, the session user `hoop`; `SELECT user` answers the
        // held login the broker uses on the target, `hoop_scram`. Direct, both are the same name. The broker never
        // lets the client choose the target role, so the two names cannot be made to match.
        "FAIL tests.test_connection.TestConnectionInfo.test_user":
            "the client's login name (hoop) is not the target's current_user (the held hoop_scram)"
    ]

    /// One run of the suite: the outcome lines (`FAIL id`, `ERROR id`, `SKIP id`, ...), the summary's fields, and
    /// stderr with a traceback per failing test.
    struct SuiteRun {
        var outcomes: Set<String>
        var summary: [String: String]
        var summaryLine: String
        var stderr: String

        var ran: Int { Int(summary["ran"] ?? "") ?? 0 }
        var complete: Bool { summary["incomplete"] == nil }

        /// The traceback the runner printed for one outcome line.
        func detail(_ outcome: String) -> String {
            let sections = stderr.components(separatedBy: "==== ")
            return sections.first { $0.hasPrefix(outcome + "\n") }.map { "==== " + $0 } ?? "(no traceback)"
        }
    }

    /// Runs the whole suite, or only the tests `only` names.
    static func runSuite(
        host: String = "127.0.0.1",
        port: Int,
        user: String,
        password: String,
        only: [String] = []
    ) async throws -> SuiteRun {
        // The first run ever also downloads and installs psycopg2 (cached under ~/.cache/hoopctl); a debug broker
        // makes the brokered run about four times slower than the direct one (~45 s). A hung test is cut off by
        // the script itself after 300 s, so this limit is only the last resort.
        let result = try await ChildProcess.run(
            script,
            [host, String(port), user, password, database],
            environment: ["PSYCOPG2_SUITE_ONLY": only.joined(separator: " ")],
            timeout: .seconds(1800)
        )
        guard result.status == 0 else {
            throw PeerError("psycopg2-suite.sh exited \(result.status):\n\(result.stdout)\n\(result.stderr)")
        }
        let lines = result.stdout.split(separator: "\n").map(String.init)
        guard let summaryLine = lines.last(where: { $0.hasPrefix("SUMMARY ") }) else {
            throw PeerError("psycopg2-suite.sh printed no summary:\n\(result.stdout)\n\(result.stderr)")
        }
        var summary: [String: String] = [:]
        for field in summaryLine.dropFirst("SUMMARY ".count).split(separator: " ") {
            let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { summary[parts[0]] = parts[1] }
        }
        return SuiteRun(
            outcomes: Set(lines.filter { !$0.hasPrefix("SUMMARY ") && !$0.isEmpty }),
            summary: summary,
            summaryLine: summaryLine,
            stderr: result.stderr
        )
    }

    static func resources(pgPort: Int) -> String {
        """
          - name: pg-psycopg2
            type: postgres
            address: 127.0.0.1:\(pgPort)
            database: \(database)
            username: hoop_scram
            password_env: PG_PSYCOPG2_PASSWORD
            tls: prefer
            allow_groups: [agents]
        """
    }

    /// The suite's database as its README asks: owned by the test user, with hstore (else 9 tests skip).
    /// Two-phase commit tests need max_prepared_transactions > 0, which `postgres.sh` configures.
    static func createDatabase(_ pg: PostgresServer) async throws {
        for (database, sql) in [
            ("testdb", "CREATE DATABASE \(Self.database) OWNER hoop_scram"),
            (Self.database, "CREATE EXTENSION IF NOT EXISTS hstore"),
        ] {
            let result = try await ChildProcess.run(
                "/usr/bin/psql",
                [
                    "-h", "127.0.0.1", "-p", String(pg.port), "-U", "hoop_scram", "-d", database, "-X", "-q",
                    "-v", "ON_ERROR_STOP=1", "-c", sql,
                ],
                environment: ["PGPASSWORD": PostgresServer.password, "PGCONNECT_TIMEOUT": "10"]
            )
            guard result.status == 0 else { throw PeerError("\(sql): \(result.stderr)") }
        }
    }

    /// `connect --output json`: the local port and the per-session password.
    static func connect(_ agent: ClientCLI) async throws -> (ChildProcess, Int, String) {
        let process = try agent.spawn(["connect", "pg-psycopg2", "--port", "0", "--output", "json"])
        try await process.waitForOutput("\"port\"", timeout: .seconds(30))
        let line = process.stdout.split(separator: "\n").first { $0.contains("\"port\"") } ?? ""
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let port = object["port"] as? Int, let password = object["password"] as? String,
            object["user"] as? String == "hoop"
        else {
            await process.stop()
            throw PeerError("unreadable connect output: \(process.stdout)")
        }
        return (process, port, password)
    }

    @Test("through the broker, psycopg2's suite fails exactly where it fails direct, but for the accepted differences")
    func sameOutcomesDirectAndBrokered() async throws {
        try await IdentityProvider.with { idp in
            try await PostgresServer.with { pg in
                try await Self.createDatabase(pg)
                let broker = try await BrokerProcess(
                    issuer: idp.issuer,
                    resourcesYAML: Self.resources(pgPort: pg.port),
                    environment: ["PG_PSYCOPG2_PASSWORD": PostgresServer.password]
                )
                defer { broker.remove() }
                var connect: ChildProcess?
                do {
                    let direct = try await Self.runSuite(
                        port: pg.port, user: "hoop_scram", password: PostgresServer.password)

                    let agent = try ClientCLI(
                        broker: broker, name: "agent", extra: ["HOOP_CLIENT_SECRET": "ci-agent-secret"])
                    let login = try await agent.run(["login", "--client-id", "ci-agent"])
                    try #require(login.status == 0, "\(login.stderr)")
                    let (process, port, password) = try await Self.connect(agent)
                    connect = process
                    let brokered = try await Self.runSuite(port: port, user: "hoop", password: password)
                    print("psycopg2 suite direct:   \(direct.summaryLine)")
                    print("psycopg2 suite brokered: \(brokered.summaryLine)")

                    // A difference counts when it comes back when just those tests run again, both ways: a
                    // timing-sensitive test that failed once on a busy machine is reported, not failed on.
                    let candidates = Self.unexplained(direct: direct, brokered: brokered)
                    var confirmed = candidates
                    if !candidates.isEmpty {
                        // "KIND id", where a subtest's id goes on with " (parameters)": the test is what runs again.
                        let ids = Set(
                            candidates.compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) })
                        let directAgain = try await Self.runSuite(
                            port: pg.port, user: "hoop_scram", password: PostgresServer.password, only: ids.sorted())
                        let brokeredAgain = try await Self.runSuite(
                            port: port, user: "hoop", password: password, only: ids.sorted())
                        confirmed = candidates.filter { outcome in
                            brokered.outcomes.contains(outcome)
                                ? brokeredAgain.outcomes.contains(outcome) && !directAgain.outcomes.contains(outcome)
                                : directAgain.outcomes.contains(outcome) && !brokeredAgain.outcomes.contains(outcome)
                        }
                        for outcome in candidates where !confirmed.contains(outcome) {
                            print("psycopg2 suite: \(outcome) differed once but not when run again; not counted")
                        }
                    }
                    Self.compare(direct: direct, brokered: brokered, confirmed: confirmed)
                    #expect(process.isRunning, "connect exited during the run: \(process.stderr)")
                    #expect(broker.isRunning, "the broker exited during the run: \(broker.output)")
                } catch {
                    await connect?.stop()
                    await broker.stop()
                    throw error
                }
                connect?.signal(SIGINT)
                _ = try? await connect?.waitForExit(timeout: .seconds(30))
                await connect?.stop()
                await broker.stop()
            }
        }
    }

    /// Outcome lines found in one run but not the other, less the accepted differences.
    static func unexplained(direct: SuiteRun, brokered: SuiteRun) -> [String] {
        brokered.outcomes.symmetricDifference(direct.outcomes).subtracting(acceptedDifferences.keys).sorted()
    }

    static func compare(direct: SuiteRun, brokered: SuiteRun, confirmed: [String]) {
        // The direct run is the reference: it must have run the whole suite, or the comparison means nothing.
        #expect(direct.complete, "direct run cut short: \(direct.summaryLine)\n\(direct.stderr)")
        #expect(direct.ran > 700, "direct run: \(direct.summaryLine)\n\(direct.stderr)")
        #expect(brokered.complete, "brokered run cut short: \(brokered.summaryLine)\n\(brokered.stderr)")
        #expect(brokered.ran == direct.ran, "direct: \(direct.summaryLine)\nbrokered: \(brokered.summaryLine)")

        let report = confirmed.map { outcome in
            brokered.outcomes.contains(outcome) ? brokered.detail(outcome) : "only direct: \(outcome)"
        }
        #expect(
            confirmed.isEmpty,
            """
            psycopg2's suite differs through the broker:
            direct:   \(direct.summaryLine)
            brokered: \(brokered.summaryLine)
            \(report.joined(separator: "\n"))
            """
        )
    }
}
