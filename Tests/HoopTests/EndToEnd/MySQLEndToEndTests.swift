import Foundation
import HoopCore
import Local
import Testing

@testable import Broker

/// The MySQL engine against a real MariaDB 10.11: clients log in with the session's own password, the broker logs
/// in with held credentials (native, ed25519, TLS), and what runs is judged, masked and recorded per statement.
@Suite("End to end: MySQL engine", .serialized)
struct MySQLEndToEndTests {
    static func resources(port: Int, user: MariaDBServer.User = .native, tls: String = "prefer", extra: String = "")
        -> String
    {
        """
          - name: my-prod
            type: mysql
            address: 127.0.0.1:\(port)
            database: testdb
            username: \(user.rawValue)
            password_env: MY_PROD_PASSWORD
            tls: \(tls)
            allow_groups: [eng, agents]
        \(extra)
        """
    }

    static func withStack(
        user: MariaDBServer.User = .native,
        tls: String = "prefer",
        extra: String = "",
        _ body: (MariaDBServer, BrokerProcess, ClientCLI) async throws -> Void
    ) async throws {
        try await IdentityProvider.with { idp in
            try await MariaDBServer.with { db in
                try await Self.seed(db)
                let broker = try await BrokerProcess(
                    issuer: idp.issuer,
                    resourcesYAML: resources(port: db.port, user: user, tls: tls, extra: extra),
                    environment: ["MY_PROD_PASSWORD": MariaDBServer.password]
                )
                defer { broker.remove() }
                try await broker.stoppingAfter {
                    try await body(db, broker, try await ClientCLI.loggedIn(broker))
                }
            }
        }
    }

    /// A table with values the masking tests look for.
    static func seed(_ db: MariaDBServer) async throws {
        let result = try await MariaDBServer.mariadb(
            port: db.port,
            [
                "-e",
                """
                CREATE TABLE IF NOT EXISTS users (id INT PRIMARY KEY, name VARCHAR(50), email VARCHAR(100),
                  ssn VARCHAR(20), balance INT);
                DELETE FROM users;
                INSERT INTO users VALUES (1, 'Ada', 'ada@example.com', '123-45-6789', 120),
                  (2, 'Grace', 'grace@example.com', '987-65-4321', 340);
                """,
            ])
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// `connect --output json` for a mysql resource: port plus the per-session login.
    static func connect(_ agent: ClientCLI, _ resource: String = "my-prod") async throws -> (
        ChildProcess, Int, String, String
    ) {
        let process = try agent.spawn(["connect", resource, "--port", "0", "--output", "json"])
        try await process.waitForOutput("\"port\"", timeout: .seconds(30))
        let line = process.stdout.split(separator: "\n").first { $0.contains("\"port\"") } ?? ""
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let port = object["port"] as? Int, let session = object["session"] as? String,
            let password = object["password"] as? String, let command = object["command"] as? String
        else {
            throw PeerError("unreadable connect output: \(process.stdout)")
        }
        #expect(object["user"] as? String == "hoop")
        #expect(object["database"] as? String == "testdb")
        #expect(command.hasPrefix("mysql --host=127.0.0.1 --port=\(port) --user=hoop --password="))
        return (process, port, session, password)
    }

    /// The `mariadb` client as a user would run it against the local port: batch mode, no TLS on the loopback hop.
    static func mysql(port: Int, password: String, _ sql: String) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try await ChildProcess.run(
            "/usr/bin/mariadb",
            [
                "-h", "127.0.0.1", "-P", String(port), "-u", "hoop", "--batch", "--skip-column-names",
                "--connect-timeout=10", "testdb", "-e", sql,
            ],
            environment: ["MYSQL_PWD": password]
        )
    }

    @Test("mariadb logs in with the session password; the broker holds the login; statements and results are recorded")
    func mysqlClientThroughTheEngine() async throws {
        try await Self.withStack { _, broker, agent in
            let (connect, port, session, password) = try await Self.connect(agent)
            let result = try await Self.mysql(
                port: port, password: password,
                "select current_user(), database(); select name, balance from users order by id; select 'a''b', null")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("hoop_native@"))
            #expect(result.stdout.contains("Ada\t120"))
            #expect(result.stdout.contains("a'b\tNULL"))

            let wrong = try await Self.mysql(port: port, password: "not-the-session-password", "select 1")
            #expect(wrong.status != 0)
            #expect(wrong.stderr.contains("1045"))
            #expect(!wrong.stderr.contains(MariaDBServer.password))

            let missing = try await Self.mysql(port: port, password: password, "select * from no_such_table")
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("1146") && missing.stderr.contains("42S02"))

            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
            let recording = try Evidence.recording(broker, session: session)
            let queries = recording.filter { $0.kind == .query }.compactMap { $0.details["sql"]?.stringValue }
            #expect(queries.contains { $0.contains("select name, balance from users") })
            let results = recording.filter { $0.kind == .result }
            #expect(results.contains { $0.details["rows"] == [["Ada", "120"], ["Grace", "340"]] })
            #expect(results.contains { $0.details["error"]?["number"]?.intValue == 1146 })
            let text = try String(
                contentsOf: broker.dataDir.appendingPathComponent("recordings/\(session).jsonl"), encoding: .utf8)
            #expect(!text.contains(MariaDBServer.password))
        }
    }

    @Test("the broker logs in to the target with ed25519, and with TLS verified against the server's certificate")
    func targetLogins() async throws {
        try await Self.withStack(user: .ed25519) { _, _, agent in
            let exec = try await agent.run(["exec", "my-prod", "--output", "json", "--", "select current_user()"])
            #expect(exec.status == 0, "\(exec.stderr)")
            #expect(exec.stdout.contains("hoop_ed25519@"))
        }
        try await IdentityProvider.with { idp in
            try await MariaDBServer.with { db in
                let broker = try await BrokerProcess(
                    issuer: idp.issuer,
                    resourcesYAML: Self.resources(
                        port: db.port, user: .tlsRequired, tls: "verify-full",
                        extra: "    ca_file: \(db.caFile.path)"),
                    environment: ["MY_PROD_PASSWORD": MariaDBServer.password]
                )
                defer { broker.remove() }
                try await broker.stoppingAfter {
                    let agent = try await ClientCLI.loggedIn(broker)
                    let exec = try await agent.run([
                        "exec", "my-prod", "--output", "json", "--",
                        "select variable_value from information_schema.session_status where variable_name = 'Ssl_version'",
                    ])
                    #expect(exec.status == 0, "\(exec.stderr)")
                    #expect(exec.stdout.contains("TLS"))
                }
            }
        }
    }

    @Test("guardrails block through mariadb and exec; masking hides values from client and recording")
    func guardrailsAndMasking() async throws {
        let extra = """
                guardrails:
                  - name: no-drops
                    match: [drop, truncate]
                    action: block
                  - name: unfiltered-writes
                    match: [delete_without_where, update_without_where]
                    action: block
                  - name: payroll
                    match: { tables: [payroll] }
                    action: block
                masking:
                  detectors: [email]
                  columns: { "users.ssn": redact }
            """
        try await Self.withStack(extra: extra) { db, broker, agent in
            let (connect, port, session, password) = try await Self.connect(agent)
            let blocked = try await Self.mysql(port: port, password: password, "/*!50000 DROP */ TABLE users")
            #expect(blocked.status != 0)
            #expect(blocked.stderr.contains("1227"), "\(blocked.stderr)")
            let deletion = try await Self.mysql(port: port, password: password, "delete from `testdb`.`users`")
            #expect(deletion.status != 0)
            let payroll = try await Self.mysql(port: port, password: password, "select * from `testdb`.`payroll`")
            #expect(payroll.stderr.contains("payroll"), "\(payroll.stderr)")
            let masked = try await Self.mysql(
                port: port, password: password, "select name, email, ssn, concat(ssn, '') from users order by id")
            #expect(masked.status == 0, "\(masked.stderr)")
            #expect(!masked.stdout.contains("ada@example.com"))
            #expect(!masked.stdout.contains("123-45-6789"))
            #expect(masked.stdout.contains("Ada"))
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()

            let exec = try await agent.run(["exec", "my-prod", "--output", "json", "--", "truncate table users"])
            #expect(exec.status == 3, "\(exec.stdout) \(exec.stderr)")

            let still = try await MariaDBServer.mariadb(port: db.port, ["-e", "select count(*) from users"])
            #expect(still.stdout.contains("2"))
            let text = try String(
                contentsOf: broker.dataDir.appendingPathComponent("recordings/\(session).jsonl"), encoding: .utf8)
            #expect(!text.contains("ada@example.com"))
            #expect(!text.contains("123-45-6789"))

            let replay = try await agent.run(["replay", session, "--no-timing"])
            #expect(replay.status == 0, "\(replay.stderr)")
            #expect(replay.stdout.contains("select name, email, ssn"))
            #expect(replay.stdout.contains("[EMAIL]") && replay.stdout.contains("[REDACTED]"), "\(replay.stdout)")
            #expect(replay.stdout.contains("refused: blocked by guardrail"))
            #expect(!replay.stdout.contains("ada@example.com") && !replay.stdout.contains("123-45-6789"))
        }
    }

    /// Approvals on a MySQL resource: exec with --no-wait exits 4 naming the request, `--approval` runs exactly
    /// the approved statement, and a `mariadb` client whose statement is held waits and runs it once approved.
    @Test(
        "approvals hold MySQL statements: --no-wait exits 4, --approval resumes once, a held client runs once approved")
    func approvals() async throws {
        let extra = """
                guardrails:
                  - name: ddl
                    match: [drop, truncate]
                    action: require_approval
                    approvers: [dba]
            """
        try await IdentityProvider.with { idp in
            try await MariaDBServer.with { db in
                try await Self.seed(db)
                let broker = try await BrokerProcess(
                    issuer: idp.issuer, resourcesYAML: Self.resources(port: db.port, extra: extra),
                    extraYAML: "approvals:\n  timeout: 2m",
                    environment: ["MY_PROD_PASSWORD": MariaDBServer.password])
                defer { broker.remove() }
                try await broker.stoppingAfter {
                    try await idp.addClient(
                        "alice", secret: "alice-secret", groups: ["dba"], subject: "alice", email: "alice@example.com")
                    let agent = try await ClientCLI.loggedIn(broker)
                    let alice = try await ClientCLI.loggedIn(
                        broker, name: "alice", clientID: "alice", secret: "alice-secret")
                    _ = try await MariaDBServer.mariadb(
                        port: db.port,
                        ["-e", "create table a (id int); create table b (id int); create table c (id int)"])

                    let first = try await agent.run(["exec", "my-prod", "--no-wait", "--", "DROP TABLE a"])
                    #expect(first.status == 4, "\(first.stdout) \(first.stderr)")
                    guard let match = first.stderr.firstMatch(of: /approval (\d+)/), let id = Int64(match.1) else {
                        throw PeerError("no approval id in: \(first.stderr)")
                    }
                    #expect(try await alice.run(["approvals", "approve", String(id)]).status == 0)
                    let other = try await agent.run(["exec", "my-prod", "--approval", String(id), "--", "DROP TABLE b"])
                    #expect(other.status == 3, "\(other.stderr)")
                    let same = try await agent.run(["exec", "my-prod", "--approval", String(id), "--", "DROP TABLE a"])
                    #expect(same.status == 0, "\(same.stderr)")
                    let tables = try await MariaDBServer.mariadb(port: db.port, ["-e", "show tables"])
                    #expect(!tables.stdout.split(separator: "\n").contains("a"))
                    #expect(tables.stdout.split(separator: "\n").contains("b"))

                    let (connect, port, _, password) = try await Self.connect(agent)
                    async let held = Self.mysql(port: port, password: password, "drop table c")
                    var pending: Int64?
                    for _ in 0..<100 where pending == nil {
                        let listed = try await alice.run(["approvals", "list", "--output", "json"])
                        if let found = listed.stdout.firstMatch(of: /"id":(\d+)[^}]*"statement":"drop table c"/) {
                            pending = Int64(found.1)
                        } else {
                            try await Task.sleep(for: .milliseconds(100))
                        }
                    }
                    let request = try #require(pending)
                    let before = try await MariaDBServer.mariadb(port: db.port, ["-e", "show tables"])
                    #expect(before.stdout.split(separator: "\n").contains("c"), "nothing runs before approval")
                    #expect(try await alice.run(["approvals", "approve", String(request)]).status == 0)
                    let ran = try await held
                    #expect(ran.status == 0, "\(ran.stderr)")
                    let after = try await MariaDBServer.mariadb(port: db.port, ["-e", "show tables"])
                    #expect(!after.stdout.split(separator: "\n").contains("c"))
                    connect.signal(SIGINT)
                    _ = try await connect.waitForExit()
                }
            }
        }
    }

    /// What a Python driver sees through the local port; `script` reads PORT and PASSWORD from the environment.
    static func python(port: Int, password: String, _ script: String) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try await ChildProcess.run(
            "/usr/bin/env", ["python3", "-c", script], environment: ["PORT": String(port), "PASSWORD": password])
    }

    /// Ctrl-C in `mysql` sends `KILL QUERY <id>` on a second connection with the id from the greeting: that id is
    /// the broker's, and reaches this connection's target thread; an id of no connection of the session is refused.
    @Test("KILL QUERY with the greeting's connection id interrupts that connection's statement, and nothing else")
    func killQuery() async throws {
        try await Self.withStack { _, _, agent in
            let (connect, port, _, password) = try await Self.connect(agent)
            let script = """
                import os, threading, time, pymysql
                def connect():
                    return pymysql.connect(host="127.0.0.1", port=int(os.environ["PORT"]), user="hoop",
                                           password=os.environ["PASSWORD"], database="testdb")
                busy = connect()
                outcome = {}
                def sleep():
                    start = time.monotonic()
                    try:
                        with busy.cursor() as cursor:
                            cursor.execute("select sleep(20)")
                            outcome["rows"] = cursor.fetchall()
                    except Exception as error:
                        outcome["error"] = repr(error)
                    outcome["seconds"] = time.monotonic() - start
                worker = threading.Thread(target=sleep)
                worker.start()
                time.sleep(1)
                killer = connect()
                with killer.cursor() as cursor:
                    try:
                        cursor.execute("KILL QUERY 4000000000")
                        print("stranger: killed")
                    except pymysql.err.MySQLError as error:
                        print("stranger:", error.args[0])
                    cursor.execute("KILL QUERY %d" % busy.thread_id())
                worker.join()
                print("outcome:", outcome)
                """
            let result = try await Self.python(port: port, password: password, script)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("stranger: 1227"), "\(result.stdout) \(result.stderr)")
            // MariaDB answers an interrupted SLEEP() with the row 1 rather than an error.
            let seconds = result.stdout.firstMatch(of: /'seconds': ([0-9.]+)/).flatMap { Double($0.1) } ?? 99
            #expect(seconds < 10, "\(result.stdout)")
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
    }

    /// LOAD DATA LOCAL INFILE where the resource allows it: the client's file reaches the target through the
    /// broker (and the recording). A target that is down answers the client with a MySQL error in place of the
    /// greeting, and the failure is audited.
    @Test("LOAD DATA LOCAL INFILE works where allowed; a dead target is a MySQL error to the client and an audit event")
    func localInfileAndDeadTarget() async throws {
        let extra = """
                allow_local_infile: true
              - name: my-dead
                type: mysql
                address: 127.0.0.1:\(try TestEnvironment.freePort())
                username: nobody
                password_env: MY_PROD_PASSWORD
                tls: disable
                allow_groups: [agents]
            """
        try await Self.withStack(extra: extra) { db, broker, agent in
            let (connect, port, session, password) = try await Self.connect(agent)
            let file = broker.directory.appendingPathComponent("names.csv")
            try "7,Hedy\n8,Barbara\n".write(to: file, atomically: true, encoding: .utf8)
            let script = """
                import os, pymysql
                c = pymysql.connect(host="127.0.0.1", port=int(os.environ["PORT"]), user="hoop",
                                    password=os.environ["PASSWORD"], database="testdb", local_infile=True)
                with c.cursor() as cursor:
                    cursor.execute("LOAD DATA LOCAL INFILE '\(file.path)' INTO TABLE users "
                                   "FIELDS TERMINATED BY ',' (id, name)")
                    print("loaded", cursor.rowcount)
                c.commit()
                """
            let load = try await Self.python(port: port, password: password, script)
            #expect(load.status == 0, "\(load.stderr)")
            #expect(load.stdout.contains("loaded 2"))
            let rows = try await MariaDBServer.mariadb(port: db.port, ["-e", "select name from users where id > 6"])
            #expect(rows.stdout.contains("Hedy") && rows.stdout.contains("Barbara"))
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
            let recording = try String(
                contentsOf: broker.dataDir.appendingPathComponent("recordings/\(session).jsonl"), encoding: .utf8)
            #expect(recording.contains("local_infile"))

            let dead = try await agent.run(["exec", "my-dead", "--", "select 1"])
            #expect(dead.status != 0)
            #expect(
                dead.stderr.contains("could not reach the target") || dead.stderr.contains("cannot reach"),
                "\(dead.stderr)")
            let events = try await Evidence.auditEvents(broker)
            #expect(events.contains { $0.action == "connection.error" && $0.resource == "my-dead" })
        }
    }
}
