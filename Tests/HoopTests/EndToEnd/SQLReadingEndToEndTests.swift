import Foundation
import SQLAnalysis
import Testing

@testable import Broker
@testable import PostgresWire

/// The broker must read every text exactly as PostgreSQL 15 does. A differential test sends a corpus of tricky texts
/// straight to a real server, in every client encoding the server accepts for a UTF8 database and under both
/// `standard_conforming_strings` settings, and checks that the statements the broker's analysis finds are the ones
/// the server ran (its CommandComplete tags), in number and verb. The client-only encodings, where the server and a
/// byte-level reader disagree, must be refused by the broker in every way a client can choose them.
@Suite("End to end: SQL read as PostgreSQL reads it", .serialized)
struct SQLReadingEndToEndTests {
    static let database = "readingdb"

    /// Texts whose splitting depends on comments, quotes, escapes, dollar quotes and `;`; `§` stands for a
    /// non-ASCII character the encoding under test has. All are valid SQL under both settings except where a
    /// comment says otherwise.
    static let corpus: [String] = [
        "select 1; select 2",
        "select 1 -- comment ; select 2\n; select 3",
        "select 1 -- comment ends at a carriage return\r; select 2",
        "select 'a;b'; select 2",
        "select $$;$$; select $a$ $$ ; $a$",
        "select 1 /* /* ; */ ; */; select 2",
        #"select E'\';'; select 2"#,
        #"select 'a\'; select 2; --'"#,
        #"select 'x\\'; select 3"#,
        #"select E'\\'; select 'y'"#,
        "select 'a''b'; select '--'; select '/*'",
        "select 1 as \"a;\"; select 2 as \"\"\"\"",
        #"select U&'\0041;'; select U&"\0061;" from (select 1) "a;"(a)"#,
        "select 'a'\n'b'; select 2",
        "select 'a' -- c\n  'b' ; select 2",
        "select 1;;; select 2;",
        "create temp table x (a int); insert into x values (1); update x set a = 2; delete from x where a = 2; drop table x",
        "with c as (insert into t values (1) returning a) select * from c",
        "values (1), (2); table t",
        "show client_encoding; set application_name = 'a;b'; reset application_name",
        "savepoint s; select 1; release s",
        "prepare p as select $1::int; execute p(1); deallocate p",
        "declare c cursor for select 1; fetch c; close c",
        "explain select 1; explain (costs off) select 2",
        "create function pg_temp.f() returns int language sql as 'select 1; select 2'; select pg_temp.f()",
        "do $$ begin perform 1; end $$; select 1",
        "select 1 where '--' = '--'; select $x$ ' $x$",
        "select /* ' */ 1; select 2 -- '",
        #"set standard_conforming_strings = on; select 'a\'; select 2; --'"#,
        "select $tag$ $$ $tag$; select $_$;$_$",
        "select 1 as \"a\"\"b;\"; select 2",
        #"select U&'d\0061t\+000061'; select U&'!0041;' uescape '!'"#,
        #"select e'\x41\101\u0041;'; select 2"#,
        "select 1 /* nested /* */ still */ ; select '*/'",
        "select 2 -- \r\n; select 3",
        "SELECT 'it''s' \"col\"\"x\" FROM (SELECT 1 AS \"col\"\"x\") s; SELECT 2",
        "with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select * from r; select 2",
        "select (array[1, 2])[1]; select 1::int4; select 'x'::text || ';'",
        "create temp table \"x;y\" (a int); insert into \"x;y\" values (1); drop table \"x;y\"",
        #"select E'\'' || $$'$$; select 2"#,
        "notify ch, 'a;b'; listen ch; unlisten ch",
        "lock table t in access share mode; comment on table t is 'x;y'; analyze t; truncate t",
        "select 1 \\; select 2",  // psql's \; is no separator for the server: a syntax error, refused here
        "select '§;'; select 1 as \"§;\"",
        "select 1 as §x; select $§$ ; $§$",
        "select E'§\\''; select 2",
    ]

    /// Characters to stand for `§`; the first one the encoding has is used.
    static let nonASCII = ["é", "ж", "α", "ש", "ع", "ก", "表", "한", "ğ", "ā"]

    static func socket(_ pg: PostgresServer) -> String {
        pg.directory.appendingPathComponent(".s.PGSQL.\(pg.port)").path
    }

    /// A trusted superuser connection on the server's Unix socket.
    static func direct(_ pg: PostgresServer, database: String = database, _ extra: [(String, String)] = []) throws
        -> RawPostgresClient
    {
        let client = try RawPostgresClient(unixSocket: socket(pg))
        try client.start([("user", "postgres"), ("database", database)] + extra)
        return client
    }

    static func createDatabase(_ pg: PostgresServer) throws {
        let admin = try direct(pg, database: "postgres")
        let created = try admin.simpleQuery(
            Array(
                "create database \(database) encoding 'UTF8' template template0 lc_collate 'C' lc_ctype 'C' owner hoop_scram"
                    .utf8))
        #expect(created == [.command("CREATE DATABASE")])
    }

    /// The text in `encoding`, with `§` replaced by a character the encoding has; nil if it has none.
    static func bytes(_ text: String, in encoding: PostgresEncoding) -> [UInt8]? {
        guard text.contains("§") else { return EncodedText.bytes(text, in: encoding) }
        for character in nonASCII {
            if let bytes = EncodedText.bytes(text.replacing("§", with: character), in: encoding) {
                return bytes
            }
        }
        return nil
    }

    /// Whether the server's command tag is what the analysed statement's verb leads to.
    static func agrees(_ statement: SQLStatement, tag: String) -> Bool {
        let word = tag.split(separator: " ").first.map { $0.lowercased() } ?? ""
        switch statement.verb {
        case word, "execute": return true
        case "values", "table": return word == "select"
        default: return statement.isClass(.transaction) && ["savepoint", "release"].contains(word)
        }
    }

    /// Compares one text's analysis with what the server did; returns the disagreement, if any.
    static func disagreement(_ bytes: [UInt8], conforming: Bool, server outcomes: [RawPostgresClient.Outcome])
        -> String?
    {
        let text = PostgresText.decode(bytes)
        let analysis = SQLAnalysis.analyze(text, standardConformingStrings: conforming)
        let commands = outcomes.compactMap { if case .command(let tag) = $0 { tag } else { nil } }
        let errors = outcomes.filter { if case .error = $0 { true } else { false } }
        if let problem = analysis.problem {
            return commands.isEmpty && errors.count == 1
                ? nil : "the broker refuses (\(problem)) but the server ran \(outcomes)"
        }
        guard errors.isEmpty else { return "the server failed: \(errors)" }
        let verbs = analysis.statements.map(\.verb)
        guard commands.count == analysis.statements.count,
            zip(analysis.statements, commands).allSatisfy({ agrees($0, tag: $1) })
        else {
            return "the broker found \(verbs), the server ran \(commands)"
        }
        // What the broker judges without knowing the setting covers this reading, or refuses the text.
        let judged = SQLAnalysis.analyze(text, dialect: .postgres)
        let found = Set(analysis.statements.flatMap(\.classes))
        if judged.problem == nil && !found.isSubset(of: Set(judged.statements.flatMap(\.classes))) {
            return "reading both ways lost classes: \(found) against \(judged.statements.map(\.classes))"
        }
        return nil
    }

    @Test("every server-safe client encoding, both standard_conforming_strings settings: the broker finds what runs")
    func differential() async throws {
        try await PostgresServer.with { pg in
            try Self.createDatabase(pg)
            var accepted: [PostgresEncoding] = []
            var checked = 0
            for encoding in PostgresEncoding.allCases {
                guard
                    (try? Self.direct(pg, [("client_encoding", encoding.rawValue)])) != nil
                else { continue }
                accepted.append(encoding)
                guard !encoding.isClientOnly else { continue }
                for conforming in [true, false] {
                    let client = try Self.direct(
                        pg,
                        [
                            ("client_encoding", encoding.rawValue),
                            ("standard_conforming_strings", conforming ? "on" : "off"),
                        ])
                    _ = try client.simpleQuery(Array("create temp table t (a int)".utf8))
                    for text in Self.corpus {
                        guard let bytes = Self.bytes(text, in: encoding) else { continue }
                        _ = try client.simpleQuery(Array("begin".utf8))
                        let outcomes = try client.simpleQuery(bytes)
                        _ = try client.simpleQuery(Array("rollback".utf8))
                        let problem = Self.disagreement(bytes, conforming: conforming, server: outcomes)
                        #expect(
                            problem == nil,
                            "\(encoding.rawValue), standard_conforming_strings=\(conforming): \(text.debugDescription): \(problem ?? "")"
                        )
                        checked += 1
                    }
                }
            }
            // Every encoding but MULE_INTERNAL converts to and from UTF8; the seven client-only ones among them.
            #expect(accepted.count == PostgresEncoding.allCases.count - 1, "\(accepted)")
            #expect(!accepted.contains(.muleInternal))
            #expect(accepted.filter(\.isClientOnly).count == 7)
            #expect(checked > 2_000)
        }
    }

    @Test("in SJIS the byte after 0x95 is a backslash to a byte reader and half a character to the server")
    func clientOnlyEncodingsAreMisread() async throws {
        try await PostgresServer.with { pg in
            try Self.createDatabase(pg)
            // 表 is 0x95 0x5C in SJIS: the server reads E'表' and then a second statement; a byte reader sees \'.
            let bytes = Array("select E'".utf8) + [0x95, 0x5C] + Array("'; select 2; --'".utf8)
            let client = try Self.direct(pg, [("client_encoding", "SJIS")])
            let outcomes = try client.simpleQuery(bytes)
            #expect(outcomes == [.command("SELECT 1"), .command("SELECT 1")])
            let misread = SQLAnalysis.analyze(PostgresText.decode(bytes), dialect: .postgres)
            #expect(misread.statements.count == 1, "why client-only encodings must be refused")
        }
    }

    static func resources(pgPort: Int) -> String {
        """
          - name: pg-guarded
            type: postgres
            address: 127.0.0.1:\(pgPort)
            database: \(database)
            username: hoop_scram
            password_env: PG_PASSWORD
            tls: disable
            allow_groups: [eng, agents]
            guardrails:
              - match: [drop]
                action: block
        """
    }

    @Test("the broker refuses every way to choose a client-only encoding, and the server's own report of one")
    func clientOnlyEncodingsRefused() async throws {
        try await IdentityProvider.with { idp in
            try await PostgresServer.with { pg in
                try Self.createDatabase(pg)
                let broker = try await BrokerProcess(
                    issuer: idp.issuer, resourcesYAML: Self.resources(pgPort: pg.port),
                    environment: ["PG_PASSWORD": PostgresServer.password])
                defer { broker.remove() }
                try await broker.stoppingAfter {
                    let agent = try await ClientCLI.loggedIn(broker)
                    let (connect, port, _) = try await agent.connect("pg-guarded")
                    let password = try ApprovalsEndToEndTests.password(connect)
                    func login(_ extra: [(String, String)]) throws -> RawPostgresClient {
                        let client = try RawPostgresClient(port: port)
                        try client.start([("user", "hoop")] + extra, password: password)
                        return client
                    }
                    let startups: [[(String, String)]] =
                        PostgresEncoding.allCases.filter(\.isClientOnly).map { [("client_encoding", $0.rawValue)] } + [
                            [("options", "-c client_encoding=sjis")], [("options", "--client-encoding=Big5")],
                            [("options", "-cCLIENT_ENCODING=win936")], [("CLIENT_ENCODING", "uhc")],
                        ]
                    for startup in startups {
                        #expect("\(startup)") {
                            try login(startup)
                        } throws: { error in
                            "\(error)".contains("client encoding")
                        }
                    }
                    let client = try login([("client_encoding", "UTF8")])
                    for sql in [
                        "set client_encoding = 'SJIS'", "set names 'gbk'",
                        "select set_config('client_encoding', 'johab', false)",
                        "update pg_settings set setting = 'big5' where name = 'client_encoding'",
                    ] {
                        let refused = try client.simpleQuery(Array(sql.utf8))
                        #expect(
                            refused.count == 1
                                && refused.first.map { if case .error("42501", _) = $0 { true } else { false } }
                                    == true,
                            "\(sql): \(refused)")
                    }
                    #expect(try client.simpleQuery(Array("set client_encoding = 'LATIN1'".utf8)) == [.command("SET")])
                    // A SQL function body is judged now, not when it runs: its DROP meets the drop rule.
                    let body = try client.simpleQuery(
                        Array("create function pg_temp.f() returns void language sql as 'drop table if exists x'".utf8))
                    #expect(
                        body.count == 1
                            && body.first.map { if case .error("42501", _) = $0 { true } else { false } } == true,
                        "\(body)")
                    // A role default the broker never saw: the server reports SJIS at login, and the broker refuses.
                    let admin = try Self.direct(pg)
                    _ = try admin.simpleQuery(
                        Array("alter role hoop_scram in database \(Self.database) set client_encoding = 'SJIS'".utf8))
                    #expect {
                        try login([])
                    } throws: { error in
                        "\(error)".contains("the server now reads this session in SJIS")
                    }
                    _ = try admin.simpleQuery(
                        Array("alter role hoop_scram in database \(Self.database) reset client_encoding".utf8))
                    #expect(try login([]).simpleQuery(Array("select 1".utf8)) == [.command("SELECT 1")])
                    connect.signal(SIGINT)
                    _ = try await connect.waitForExit()
                }
            }
        }
    }
}
