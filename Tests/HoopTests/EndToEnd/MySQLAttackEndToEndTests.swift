import Foundation
import HoopCore
import Testing

@testable import Broker

/// The MySQL engine against a hostile agent, end to end on a real MariaDB 10.11: every statement and packet below was
/// written to get past a guardrail or a mask, grouped by class. After the guardrail attacks the target itself is
/// asked (directly, not through the broker) whether anything happened; after the masking attacks the client's
/// output, the recordings and an `audit export` bundle are byte-searched for every original.
@Suite("End to end: MySQL under attack", .serialized)
struct MySQLAttackEndToEndTests {
    typealias Step = MySQLDriverScript.Step

    // MARK: Fixtures

    /// Values only a successful attack could show.
    static let payrollSecret = "PAYROLL-CANARY-9043"
    static let vaultSecret = "VAULT-CANARY-5521"
    static let localFileSecret = "LOCALFILE-CANARY-7731"

    /// Masked originals and the forms a query can turn them into; compared case-insensitively.
    static let maskedOriginals = [
        "ada@example.com", "grace@example.com", "123-45-6789", "987-65-4321", "123456789", "9876-54-321",
        "3132332D34352D36373839",  // hex('123-45-6789')
        "MTIzLTQ1LTY3ODk",  // to_base64('123-45-6789')
        "616461406578616D706C652E636F6D",  // hex('ada@example.com')
        "ada@example",
    ]

    static func resources(port: Int) -> String {
        """
          - name: my-guarded
            type: mysql
            address: 127.0.0.1:\(port)
            database: testdb
            username: hoop_native
            password_env: MY_PASSWORD
            tls: disable
            allow_groups: [agents]
            guardrails:
              - name: no-drops
                match: [drop, truncate]
                action: block
              - name: unfiltered-writes
                match: [delete_without_where, update_without_where]
                action: block
              - name: payroll
                match: { tables: [payroll, otherdb.vault] }
                action: block
          - name: my-masked
            type: mysql
            address: 127.0.0.1:\(port)
            database: testdb
            username: hoop_native
            password_env: MY_PASSWORD
            tls: disable
            allow_groups: [agents]
            masking:
              detectors: [email]
              columns: { "users.ssn": redact }
        """
    }

    /// Run as root on the server's socket: tables the attacks aim at, a second database a table rule names, and a
    /// view over the masked table made where the broker cannot see it.
    static let seed = """
        CREATE DATABASE otherdb;
        CREATE TABLE otherdb.vault (secret VARCHAR(50));
        INSERT INTO otherdb.vault VALUES ('\(vaultSecret)');
        GRANT ALL ON otherdb.* TO hoop_native@'%';
        USE testdb;
        CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50), email VARCHAR(100) UNIQUE, ssn VARCHAR(20),
          balance INT);
        INSERT INTO users VALUES (1, 'Ada', 'ada@example.com', '123-45-6789', 120),
          (2, 'Grace', 'grace@example.com', '987-65-4321', 340);
        CREATE TABLE payroll (id INT PRIMARY KEY, salary VARCHAR(40));
        INSERT INTO payroll VALUES (1, '\(payrollSecret)');
        CREATE TABLE victim (id INT PRIMARY KEY);
        INSERT INTO victim VALUES (1), (2), (3);
        CREATE TABLE uploads (line VARCHAR(100));
        CREATE TABLE dup (v VARCHAR(100) UNIQUE);
        CREATE VIEW people AS SELECT * FROM users;
        """

    /// An attack: what the client does first (its outcome is not judged), what the broker must refuse, and what
    /// may run because the server reads it harmlessly (the target's state afterwards says whether it was).
    struct Attack: Sendable {
        var name: String
        var driver = MySQLDriverScript.Driver.pymysql
        var characterSet = "utf8mb4"
        var setup: [Step] = []
        var refused: [Step]
        var harmless: [Step] = []
    }

    // MARK: 1. Guardrail evasion through the wire (my-guarded)

    static let versionedComments = Attack(
        name: "versioned comments",
        refused: [
            .query("/*!50000 DROP TABLE victim*/"),
            .query("/*!DROP TABLE victim*/"),
            .query("/*M!100000 DROP TABLE victim*/"),
            .query("/*!50000 DROP */ TABLE victim"),
            .query("SELECT 1 /*!50000 ; DROP TABLE victim */"),
            .query("SELECT 1 /*M!100000 ; TRUNCATE victim */"),
            .query("/*!50000 /*!DROP*/ TABLE victim */"),
            .query("SELECT /*!50000 * FROM payroll */"),
        ])

    static let quotedNames = Attack(
        name: "backticks and spelling",
        refused: [
            .query("DROP TABLE `victim`"),
            .query("DROP TABLE `testdb`.`victim`"),
            .query("DROP TABLE `testdb` . `victim`"),
            .query("drop/**/table/**/victim"),
            .query("DrOp\tTaBlE\nvictim"),
            .query("SELECT * FROM `payroll`"),
            .query("SELECT * FROM testdb.`payroll`"),
            .query("SELECT salary FROM `testdb`.payroll p"),
            .query("SELECT * FROM `otherdb`.`vault`"),
            .query("SELECT (SELECT salary FROM payroll LIMIT 1)"),
            .query("SELECT 1 FROM dual WHERE EXISTS (SELECT 1 FROM `payroll`)"),
        ],
        harmless: [
            // A doubled backtick is part of the name: this is table vic`tim, which does not exist.
            .query("DROP TABLE IF EXISTS `vic``tim`")
        ])

    static let comments = Attack(
        name: "# and -- comments",
        refused: [
            .query("SELECT 1 # comment\n; DROP TABLE victim"),
            .query("SELECT 1 --1; DROP TABLE victim"),  // `--1` is minus minus one, not a comment
            .query("SELECT 1 -- x\n; DROP TABLE victim"),
            .query("SELECT '#'; DROP TABLE victim"),
            .query("SELECT \"-- \"; DROP TABLE victim"),
            .query("SELECT 1 #'\n; DROP TABLE victim"),
            .query("SELECT 1 /* ; */ ; DROP TABLE victim"),
            .query("SELECT 1 --\t\n; DELETE FROM victim"),
        ])

    static let multiStatements = Attack(
        name: "multi-statements",
        refused: [
            .query("select 1; drop table victim"),
            .query("select 1;drop table victim;"),
            .query("select 1;\n/*!drop table victim*/"),
            .query("delete from victim"),
            .query("delete from victim where 1 = 1"),
            .query("update victim set id = id + 10"),
            .query("select 1; select * from payroll"),
            .query("begin; delete from victim; commit"),
        ])

    static let characterSets = [
        Attack(
            name: "character set changes",
            refused: [
                .query("SET NAMES gbk"),
                .query("SET NAMES 'big5'"),
                .query("SET CHARACTER SET sjis"),
                .query("SET character_set_client = gbk"),
                .query("SET @@session.character_set_client = 'gb18030'"),
                .query("/*!40101 SET NAMES gbk */"),
                .query("SET @cs = 'gbk'; SET character_set_client = @cs"),
                // Not UTF-8: the broker cannot read it as the server will.
                .raw(Array("SELECT '".utf8) + [0xBF, 0x5C] + Array("' ; DROP TABLE victim; -- '".utf8), "0xbf5c"),
            ],
            harmless: [
                // In a utf8mb4 session 中 is one character and \' an escaped quote: one SELECT.
                .raw(Array("SELECT '中\\' ; DROP TABLE victim; -- '".utf8), "utf-8 text with a gbk trail byte"),
                .raw(Array("SELECT _gbk '中\\' ; DROP TABLE victim; -- '".utf8), "_gbk introducer"),
                .raw(Array("SELECT _gbk 0xbf5c27, CONVERT(_gbk 0xbf5c USING utf8mb4)".utf8), "_gbk hex"),
            ]),
        // The driver announces gbk in its handshake: E4 B8 | AD 5C | 27 ends the string for the server.
        Attack(
            name: "gbk handshake",
            characterSet: "gbk",
            refused: [
                .raw(Array("SELECT '中\\' ; DROP TABLE victim; -- '".utf8), "gbk session: 中 swallows the backslash"),
                .raw(Array("SELECT '".utf8) + [0xBF, 0x5C] + Array("' ; DROP TABLE victim; -- '".utf8), "gbk 0xbf5c"),
            ]),
    ]

    static let sqlModes = Attack(
        name: "sql_mode",
        refused: [
            .query("SELECT 'x' FROM dual; SET sql_mode = 'ORACLE'"),
            .query("SET @m = 'NO_BACKSLASH_ESCAPES'; SET sql_mode = @m; SELECT 'a\\' ; DROP TABLE victim; -- '"),
            .query("SET @@sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')"),
        ],
        harmless: [
            // Under the default sql_mode both are harmless: one string, and a string where a name should be.
            .query("SELECT 'a\\' ; DROP TABLE victim; -- '"),
            .query("SELECT * FROM \"payroll\""),
        ]
    )

    /// After NO_BACKSLASH_ESCAPES a backslash no longer escapes a quote; ANSI_QUOTES makes "..." a name.
    static let sqlModeFollowed = [
        Attack(
            name: "NO_BACKSLASH_ESCAPES",
            setup: [.query("SET sql_mode = 'NO_BACKSLASH_ESCAPES'")],
            refused: [
                .query("SELECT 'a\\' ; DROP TABLE victim; -- '"),
                .query("SELECT 'a\\'; DELETE FROM victim; SELECT '\\'"),
            ]),
        Attack(
            name: "ANSI_QUOTES",
            setup: [.query("SET sql_mode = 'ANSI_QUOTES'")],
            refused: [.query("SELECT * FROM \"payroll\""), .query("DROP TABLE \"victim\"")]),
    ]

    static let dynamicSQL = Attack(
        name: "prepared text from variables",
        setup: [.query("SET @v = 'DROP TABLE victim'"), .query("SET @p = 'SELECT * FROM payroll'")],
        refused: [
            .query("PREPARE s FROM @v"),
            .query("EXECUTE s"),
            .query("PREPARE s FROM @p"),
            .query("EXECUTE IMMEDIATE @v"),
            .query("EXECUTE IMMEDIATE CONCAT('DROP TABLE ', 'victim')"),
            .query("EXECUTE IMMEDIATE 'DROP TABLE victim'"),
            .query("PREPARE s FROM 'DROP TABLE victim'"),
            .query("PREPARE s FROM CONCAT('DR', 'OP TABLE victim')"),
            .query("SET @v = 'x'; PREPARE t FROM @v; EXECUTE t"),
        ],
        harmless: [.query("PREPARE ok FROM 'SELECT 1'"), .query("EXECUTE ok")])

    static let routines = Attack(
        name: "routines, triggers and events that run later",
        refused: [
            .query("CREATE PROCEDURE p1() DROP TABLE victim"),
            .query("CREATE PROCEDURE p2() BEGIN PREPARE s FROM @v; EXECUTE s; END"),
            .query("CREATE PROCEDURE p3() EXECUTE IMMEDIATE 'DROP TABLE victim'"),
            .query("CREATE PROCEDURE p4() BEGIN SELECT 1; DELETE FROM victim; END"),
            .query("CREATE FUNCTION f1() RETURNS INT BEGIN DELETE FROM victim; RETURN 1; END"),
            .query("CREATE TRIGGER t1 AFTER INSERT ON uploads FOR EACH ROW DELETE FROM victim"),
            .query("CREATE TRIGGER t2 BEFORE INSERT ON uploads FOR EACH ROW BEGIN DROP TABLE victim; END"),
            .query("CREATE EVENT e1 ON SCHEDULE AT CURRENT_TIMESTAMP DO DROP TABLE victim"),
            .query("CREATE EVENT e2 ON SCHEDULE EVERY 1 SECOND DO DELETE FROM victim"),
            .query("CREATE DEFINER = CURRENT_USER EVENT e3 ON SCHEDULE AT NOW() DO TRUNCATE victim"),
            .query("CREATE PROCEDURE p5() SELECT * FROM payroll"),
            .query("CREATE VIEW v1 AS SELECT * FROM payroll"),
        ])

    static let handlers = Attack(
        name: "HANDLER on a blocked table",
        refused: [
            .query("HANDLER payroll OPEN"),
            .query("HANDLER payroll OPEN AS p"),
            .query("HANDLER `testdb`.`payroll` OPEN"),
            .query("HANDLER payroll READ FIRST"),
        ])

    /// Commands that carry a name rather than a statement; COM_FIELD_LIST is 0x04, table name then a wildcard.
    static let commands = [
        Attack(
            name: "COM_FIELD_LIST",
            refused: [.command(0x04, Array("payroll".utf8) + [0], "COM_FIELD_LIST payroll")]),
        Attack(
            name: "COM_INIT_DB",
            setup: [.selectDatabase("otherdb")],
            refused: [
                // Table rules match an unqualified name in any database, so changing the database hides nothing.
                .query("SELECT * FROM vault"),
                .command(0x04, Array("vault".utf8) + [0], "COM_FIELD_LIST vault in otherdb"),
            ],
            harmless: [.selectDatabase("testdb"), .query("USE otherdb"), .query("SELECT * FROM testdb.victim")]),
    ]

    static let serverPrepared = Attack(
        name: "server-side prepared statements",
        driver: .connectorPure,
        refused: [
            .prepared("DROP TABLE victim"),
            .prepared("DELETE FROM victim"),
            .prepared("SELECT * FROM payroll WHERE id = ?", [1]),
            .prepared("/*!50000 DROP TABLE victim */"),
            .prepared("EXECUTE IMMEDIATE ?", ["DROP TABLE victim"]),
            .prepared("PREPARE s FROM ?", ["DROP TABLE victim"]),
        ])

    static let unknownCommands = Attack(
        name: "commands the broker does not relay",
        refused: [
            .command(0x12, [4, 0, 0, 0, 0, 0, 1, 0, 0, 0], "COM_BINLOG_DUMP"),
            .command(0x15, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "COM_REGISTER_SLAVE"),
            .command(0x1E, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "COM_BINLOG_DUMP_GTID"),
            .command(0x08, [0], "COM_SHUTDOWN"),
            .command(0x0A, [], "COM_PROCESS_INFO"),
            .command(0x05, Array("made".utf8), "COM_CREATE_DB"),
            .command(0x06, Array("testdb".utf8), "COM_DROP_DB"),
            .command(0x99, [1, 2, 3], "command 0x99"),
        ])

    @Test("guardrail evasion: comments, names, multi-statements, charsets, sql_mode, dynamic SQL, routines, commands")
    func guardrailEvasion() async throws {
        try await Self.withStack { _, db, broker, agent in
            let (connect, port, session, password) = try await MySQLEndToEndTests.connect(agent, "my-guarded")
            let login = MySQLDriverScript.Login.session(port: port, password: password)
            var attacks: [Attack] = [
                Self.versionedComments, Self.quotedNames, Self.comments, Self.multiStatements, Self.sqlModes,
                Self.dynamicSQL, Self.routines, Self.handlers, Self.serverPrepared, Self.unknownCommands,
            ]
            attacks += Self.commands + Self.characterSets + Self.sqlModeFollowed
            for attack in attacks {
                try await Self.mount(attack, login: login)
            }
            try await Self.changeUser(login)
            try await Self.localInfile(login)
            try await Self.kill(db: db, login: login, guarded: true)
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()

            try await Self.expectTargetUntouched(db)
            let recording = try Evidence.recording(broker, session: session)
            let queries = recording.filter { $0.kind == .query }
            let refusals = queries.filter {
                $0.details["refused"] != nil || $0.details["policy"]?.stringValue == "block"
            }
            let expected = attacks.reduce(0) { $0 + $1.refused.count }
            #expect(refusals.count >= expected, "every refusal is recorded: \(refusals.count) of \(expected)")
            #expect(
                queries.contains {
                    $0.details["sql"]?.stringValue == "/*!50000 DROP TABLE victim*/"
                        && $0.details["rule"]?.stringValue == "no-drops"
                },
                "the recording names the rule that refused a hidden DROP")
            #expect(queries.contains { $0.details["command"]?.stringValue == "command 0x12" })
            let text = try String(
                contentsOf: broker.dataDir.appendingPathComponent("recordings/\(session).jsonl"), encoding: .utf8)
            for secret in [Self.payrollSecret, Self.vaultSecret, Self.localFileSecret] {
                #expect(!text.contains(secret), "the recording holds \(secret)")
            }
        }
    }

    // MARK: 2. Masking evasion (my-masked: users.ssn redacted, emails detected everywhere)

    static let maskingText: [Step] = [
        // Aliases and references.
        .query("select ssn as x, email as y from users"), .query("select u.ssn from users u"),
        .query("select * from users"),
        // Expressions.
        .query("select concat(ssn, '') from users"), .query("select substr(ssn, 1, 11) from users"),
        .query("select hex(ssn), hex(email) from users"), .query("select cast(ssn as char) from users"),
        .query("select cast(ssn as binary) from users"), .query("select reverse(ssn) from users"),
        .query("select replace(ssn, '-', '') from users"), .query("select lower(email) from users"),
        .query("select to_base64(ssn) from users"), .query("select if(1, ssn, null) from users"),
        .query("select coalesce(ssn, '') from users"), .query("select ssn collate utf8mb4_bin from users"),
        // Laundering: a view made behind the broker's back, derived tables, unions, subqueries, variables.
        .query("select * from people"), .query("select ssn, email from people"),
        .query("select x from (select ssn as x from users) d"), .query("select 'x' union select ssn from users"),
        .query("select name from users union all select email from users"),
        .query("select (select ssn from users limit 1)"), .query("select @x := ssn from users"), .query("select @x"),
        .query("select ssn from users limit 1 into @y; select @y"),
        .query("create temporary table t as select ssn as x, email as y from users"), .query("select * from t"),
        .query("handler users open"), .query("handler users read first"), .query("handler users close"),
        .query("select ssn from users procedure analyse()"),
        // JSON and aggregates.
        .query("select json_object('s', ssn, 'e', email) from users"), .query("select json_arrayagg(ssn) from users"),
        .query("select json_extract(json_object('s', ssn), '$.s') from users"),
        .query("select group_concat(ssn) from users"), .query("select group_concat(email separator '|') from users"),
        // Error text and warnings that quote values.
        .query("insert into dup (v) select ssn from users where id = 1 union all select ssn from users where id = 1"),
        .query(
            "insert into dup (v) select email from users where id = 2 union all select email from users where id = 2"),
        .query("select cast(email as signed) from users"), .query("show warnings"),
        .query("select cast(ssn as double) from users; show warnings"),
        .query("select extractvalue(1, concat(0x7e, (select ssn from users limit 1)))"),
        .query("select updatexml(1, concat(0x7e, (select email from users limit 1)), 1)"),
        .query("select ssn into @s from users limit 1; signal sqlstate '45000' set message_text = @s"),
    ]

    /// The binary protocol: COM_STMT_PREPARE and COM_STMT_EXECUTE, rows in binary form.
    static let maskingPrepared: [Step] = [
        .prepared("select ssn, email from users where id = ?", [1]),
        .prepared("select concat(ssn, ''), hex(email) from users where id = ?", [1]),
        .prepared("select * from people where id = ?", [1]), .prepared("select group_concat(ssn) from users"),
        .prepared("select json_object('e', email) from users"), .prepared("select 'x' union select ssn from users"),
        .prepared("select ssn from users where id = ? union all select ?", [1, "padding"]),
    ]

    @Test("masking evasion: aliases, expressions, views, unions, JSON, binary rows and error text keep originals in")
    func maskingEvasion() async throws {
        try await Self.withStack { idp, db, broker, agent in
            let (connect, port, session, password) = try await MySQLEndToEndTests.connect(agent, "my-masked")
            let login = MySQLDriverScript.Login.session(port: port, password: password)
            var seen = try await MySQLDriverScript.run(.pymysql, login, Self.maskingText)
            let plain = try await MySQLDriverScript.run(.pymysql, login, [.query("select name, ssn from users")])
            #expect(plain[0].description.contains("Ada"), "unmasked columns still arrive: \(plain[0])")
            for driver in [MySQLDriverScript.Driver.connectorPure, .connectorC] {
                let prepared = try await MySQLDriverScript.run(driver, login, Self.maskingPrepared)
                #expect(prepared[0].succeeded, "\(driver): a ruled column arrives masked: \(prepared[0])")
                seen += prepared
            }
            for (outcome, step) in zip(seen, Self.maskingText + Self.maskingPrepared + Self.maskingPrepared) {
                Self.expectNoOriginal(outcome.description, "\(step)")
            }
            // KILL is mapped on every resource, guardrails or not.
            try await Self.kill(db: db, login: login, guarded: false)
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
            let exec = try await agent.run([
                "exec", "my-masked", "--output", "json", "--", "select email, ssn from users",
            ])
            #expect(exec.status == 0, "\(exec.stderr)")
            Self.expectNoOriginal(exec.stdout + exec.stderr, "exec")

            try await idp.addClient("auditor", secret: "auditor-secret", groups: ["audit"], subject: "carol")
            let auditor = try await ClientCLI.loggedIn(
                broker, name: "auditor", clientID: "auditor", secret: "auditor-secret")
            let bundle = broker.directory.appendingPathComponent("bundle").path
            let export = try await auditor.run(["audit", "export", "--out", bundle])
            #expect(export.status == 0, "\(export.stderr)")
            await broker.stop()
            let recording = try Evidence.recording(broker, session: session)
            #expect(recording.contains { $0.kind == .result && $0.details["masking"] != nil })
            let leaks = try MaskingAttackEndToEndTests.filesContaining(Self.maskedOriginals, under: broker.directory)
            #expect(leaks.isEmpty, "originals in the recording, the store or the exported bundle: \(leaks)")
        }
    }

    static func expectNoOriginal(_ seen: String, _ attack: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lowered = seen.lowercased()
        for original in maskedOriginals where lowered.contains(original.lowercased()) {
            Issue.record("\(attack) leaked \(original): \(seen)", sourceLocation: sourceLocation)
        }
    }

    // MARK: Guardrail attacks that need more than statements

    /// Runs one attack over one connection: every `refused` step must come back as the broker's refusal, and no
    /// step may show a blocked table's contents.
    static func mount(_ attack: Attack, login: MySQLDriverScript.Login) async throws {
        var login = login
        login.characterSet = attack.characterSet
        let steps = attack.setup + attack.refused + attack.harmless
        let outcomes = try await MySQLDriverScript.run(attack.driver, login, steps)
        for (step, outcome) in zip(steps, outcomes) {
            for secret in [payrollSecret, vaultSecret] where outcome.description.contains(secret) {
                Issue.record("\(attack.name): \(step) showed \(secret): \(outcome)")
            }
        }
        let refused = outcomes[attack.setup.count..<(attack.setup.count + attack.refused.count)]
        for (step, outcome) in zip(attack.refused, refused) {
            #expect(refusedByBroker(outcome), "\(attack.name): \(step) was not refused by the broker: \(outcome)")
        }
    }

    /// The broker's own answers: a guardrail, the judge or the KILL mapping refused (1227, which the server words
    /// "Access denied; you need ... privilege"), or the command is one it does not relay (1235).
    static func refusedByBroker(_ outcome: MySQLDriverScript.Outcome) -> Bool {
        switch outcome.errorNumber {
        case 1227: !outcome.errorMessage.hasPrefix("Access denied")
        case 1235: outcome.errorMessage.contains("the broker does not relay")
        default: false
        }
    }

    /// COM_CHANGE_USER never makes the broker someone else on the target: with the target's own password it is
    /// refused, with the session password it resets the session as the same target user.
    static func changeUser(_ login: MySQLDriverScript.Login) async throws {
        let outcomes = try await MySQLDriverScript.run(
            .connectorPure, login,
            [
                .changeUser(MariaDBServer.User.ed25519.rawValue, password: MariaDBServer.password),
                .query("SELECT current_user()"),
                .changeUser("root", password: login.password),
                .query("SELECT current_user()"),
            ])
        #expect(outcomes[0].errorNumber == 1045, "the target's password is not the session's: \(outcomes[0])")
        for outcome in [outcomes[1], outcomes[3]] {
            #expect(outcome.description.contains("hoop_native@"), "still the held login: \(outcome)")
        }
        #expect(!outcomes[3].description.contains("root@"), "\(outcomes[3])")
    }

    /// LOAD DATA LOCAL INFILE on a resource that does not allow it fails, and the file never leaves the client.
    static func localInfile(_ login: MySQLDriverScript.Login) async throws {
        let file = try TestEnvironment.scratchDirectory("infile").appendingPathComponent("rows.txt")
        try "\(localFileSecret)\n".write(to: file, atomically: true, encoding: .utf8)
        let outcomes = try await MySQLDriverScript.run(
            .pymysql, login, [.query("LOAD DATA LOCAL INFILE '\(file.path)' INTO TABLE uploads")])
        #expect(!outcomes[0].succeeded, "LOAD DATA LOCAL ran: \(outcomes[0])")
    }

    /// KILL names the broker's connection ids; a target thread of another session, in any spelling, is refused and
    /// the thread lives on.
    static func kill(db: MariaDBServer, login: MySQLDriverScript.Login, guarded: Bool) async throws {
        let sleeper = try ChildProcess(
            "sleeper", executable: "/usr/bin/mariadb",
            arguments: [
                "-h", "127.0.0.1", "-P", String(db.port), "-u", MariaDBServer.User.native.rawValue, "--skip-ssl",
                "testdb", "-e", "select sleep(300) as sleeper",
            ],
            environment: ["MYSQL_PWD": MariaDBServer.password])
        defer { sleeper.signal(SIGKILL) }
        var thread = ""
        for _ in 0..<50 where thread.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            let found = try await MariaDBServer.mariadb(
                port: db.port,
                ["-e", "select id from information_schema.processlist where info like 'select sleep(300)%'"])
            thread = found.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(!thread.isEmpty, "the sleeper runs")
        let id = UInt32(thread) ?? 0
        let steps: [Step] = [
            .query("KILL \(thread)"), .query("KILL QUERY \(thread)"), .query("KILL HARD CONNECTION \(thread)"),
            .query("/* x */ KILL \(thread)"), .query("SELECT 1; KILL \(thread)"), .query("/*!KILL \(thread)*/"),
            .query("KILL USER hoop_native"), .query("KILL QUERY ID 1"), .query("KILL (SELECT \(thread))"),
            .command(0x0C, withUnsafeBytes(of: id.littleEndian) { Array($0) }, "COM_PROCESS_KILL \(thread)"),
        ]
        let outcomes = try await MySQLDriverScript.run(.pymysql, login, steps)
        for (step, outcome) in zip(steps, outcomes) {
            #expect(refusedByBroker(outcome), "\(step) reached \(guarded ? "my-guarded" : "my-masked"): \(outcome)")
        }
        let alive = try await MariaDBServer.mariadb(
            port: db.port, ["-e", "select count(*) from information_schema.processlist where id = \(thread)"])
        #expect(sleeper.isRunning && alive.stdout.hasPrefix("1"), "the other session's thread was killed")
    }

    /// Asked directly: every table is there with its rows, nothing was loaded, no routine, trigger, event or view
    /// was created.
    static func expectTargetUntouched(_ db: MariaDBServer) async throws {
        let state = try await root(
            db,
            """
            SELECT (SELECT count(*) FROM testdb.victim), (SELECT count(*) FROM testdb.payroll),
              (SELECT count(*) FROM testdb.users), (SELECT count(*) FROM testdb.uploads),
              (SELECT count(*) FROM otherdb.vault),
              (SELECT count(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'testdb'),
              (SELECT count(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'testdb'),
              (SELECT count(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'testdb'),
              (SELECT count(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = 'testdb')
            """)
        #expect(
            state == "3\t1\t2\t0\t1\t0\t0\t0\t1",
            "victim, payroll, users, uploads, vault, routines, triggers, events, views: \(state)")
    }

    // MARK: Helpers

    static func withStack(
        _ body: (IdentityProvider, MariaDBServer, BrokerProcess, ClientCLI) async throws -> Void
    ) async throws {
        try await IdentityProvider.with { idp in
            try await MariaDBServer.with { db in
                let seeded = try await ChildProcess.run(
                    "/usr/bin/mariadb", ["--defaults-file=\(db.directory.path)/my.cnf", "-uroot", "-e", Self.seed])
                #expect(seeded.status == 0, "\(seeded.stderr)")
                let broker = try await BrokerProcess(
                    issuer: idp.issuer, resourcesYAML: Self.resources(port: db.port),
                    extraYAML: "auditor_groups: [audit]\n",
                    environment: ["MY_PASSWORD": MariaDBServer.password])
                defer { broker.remove() }
                try await broker.stoppingAfter {
                    try await body(idp, db, broker, try await ClientCLI.loggedIn(broker))
                }
            }
        }
    }

    /// One query as root on the server's socket; its output in batch form.
    static func root(_ db: MariaDBServer, _ sql: String) async throws -> String {
        let result = try await ChildProcess.run(
            "/usr/bin/mariadb",
            ["--defaults-file=\(db.directory.path)/my.cnf", "-uroot", "--batch", "--skip-column-names", "-e", sql])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
