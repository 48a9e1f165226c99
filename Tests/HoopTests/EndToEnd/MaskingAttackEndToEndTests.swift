import Foundation
import HoopCore
import NIOCore
import Testing

@testable import Broker
@testable import PostgresWire

/// Masking against a hostile agent, end to end on a real PostgreSQL: every query below was written to get a masked
/// value out, grouped by class. Each asserts that no original reaches the client; at the end the broker's whole
/// directory (store, recordings, logs) and an `audit export` bundle are byte-searched for every original.
/// "(leaked before)" marks the cases the name-based masker let through.
@Suite("End to end: masking under attack", .serialized)
struct MaskingAttackEndToEndTests {
    static let name = "Zelda Quackenbush"
    static let ssn = "341-72-5918"
    static let email = "zelda@example.net"
    static let card = "4111 1111 1111 1111"
    /// Originals and the forms a query can turn them into; compared case-insensitively.
    static let originals = [
        name, "quackenbush", "hsubnekcauq", ssn, "341725918", email, card, "4111111111111111",
        "5a656c6461",  // hex of "Zelda"
    ]

    static func resources(pgPort: Int) -> String {
        let masking = """
            masking:
              detectors: [email, us_ssn, payment_card]
              strategy: hash
            """
        return [
            TestResources.postgres(
                "pg-ruled", port: pgPort,
                extra: masking + """

                      columns: { "users.name": hash, "users.ssn": redact, "*.email": partial, "users_eu.name": redact }
                    """),
            TestResources.postgres("pg-detect", port: pgPort, extra: masking),
            TestResources.postgres(
                "pg-guarded", port: pgPort,
                extra: masking + """

                      columns: { "users.name": hash, "users.ssn": redact }
                    guardrails:
                      - name: no-code
                        match: [do]
                        action: block
                    """),
        ].joined(separator: "\n")
    }

    static let setup = """
        create table users (id int primary key, name text, ssn text, email text, note text);
        insert into users values (1, '\(name)', '\(ssn)', '\(email)', 'card \(card)');
        create view people as select * from users;
        create table all_users (id int, name text) partition by list (id);
        create table users_eu partition of all_users for values in (1);
        insert into all_users values (1, '\(name)');
        create table orders (id int, item text);
        insert into orders values (1, 'two boxes');
        grant all on all tables in schema public to hoop_scram;
        """

    // MARK: Attacks by class (pg-ruled: column rules name users.name and users.ssn)

    static let aliasing = [
        "select name as x, ssn as y from users",  // (leaked before: the rule matched the label)
        "select u.name from users u",
        "select public.users.name from public.users",
        "select * from users",
        "select x from (select name as x from users) s",  // (leaked before)
        "with c as (select name as label from users) select label from c",  // (leaked before)
    ]

    static let expressions = [
        "select lower(name) from users",  // (leaked before: no rule for column "lower")
        "select upper(name) from users",  // (leaked before)
        "select name || '' as n from users",  // (leaked before)
        "select concat(name, ssn) from users",  // (leaked before)
        "select substr(name, 1, 8) from users",  // (leaked before)
        "select name::varchar(100) as v from users",  // (leaked before)
        "select reverse(name) from users",  // (leaked before)
        "select string_agg(name, ',') from users",  // (leaked before)
        "select array_agg(name) from users",  // (leaked before)
        "select row_to_json(u) from users u",  // (leaked before)
        "select to_json(u.name) from users u",  // (leaked before)
        "select json_build_object('n', name) from users",  // (leaked before)
        "select users from users",  // (leaked before: whole-row reference)
        "select (u).* from (select u from users u) s",
        "select encode(convert_to(name, 'UTF8'), 'hex') from users",  // (leaked before)
        "select format('%s', name) from users",  // (leaked before)
        "select coalesce(name, '') from users",  // (leaked before)
        "select case when true then name end from users",  // (leaked before)
        "select translate(name, 'ab', 'ab') from users",  // (leaked before)
    ]

    static let laundering = [
        "select name from users union all select 'x'",
        "select item from orders union select name from users",  // (leaked before)
        "select name from people",  // view: reports the view's OID
        "select (select name from users limit 1) as item",  // (leaked before)
        "select * from (values ((select name from users limit 1))) v(item)",  // (leaked before)
        "create temp table t as select name as item from users; select item from t",  // (leaked before)
        "select item2 from orders, lateral (select name as item2 from users) x",  // (leaked before)
        // The rule names a partition; its rows also come out of the parent, under the parent's OID.
        "select name as x from all_users",  // (leaked before)
        "select name as x from users_eu",  // (leaked before)
    ]

    static let errorsAndNotices = [
        "select name::int from users",  // (leaked before: the value is quoted in the error)
        "select (select name from users limit 1)::regclass",  // (leaked before: relation "..." does not exist)
        "do $$ begin raise notice '%', (select name from users limit 1); end $$",  // (leaked before)
        "do $$ begin raise exception '%', (select name from users limit 1); end $$",  // (leaked before)
        "do $$ begin raise exception using detail = (select name from users limit 1); end $$",  // (leaked before)
        "select query_to_xml('select ' || (select name from users limit 1), true, true, '')",  // (leaked before)
        "copy (select name from users) to stdout",  // (leaked before: COPY had no column rules)
        "copy (select name from users) to stdout (format binary)",  // (leaked before)
        "listen c; select pg_notify('c', (select name from users limit 1))",  // (leaked before)
    ]

    @Test("aliases, expressions, laundering, errors, notices, notifications, binary and parameters keep originals in")
    func attacks() async throws {
        try await IdentityProvider.with { idp in
            try await PostgresServer.with { pg in
                let setup = try await PostgresServer.psql(port: pg.port, ["-c", Self.setup])
                #expect(setup.status == 0, "\(setup.stderr)")
                let broker = try await BrokerProcess(
                    issuer: idp.issuer, resourcesYAML: Self.resources(pgPort: pg.port),
                    extraYAML: "auditor_groups: [audit]\n",
                    environment: ["PG_PASSWORD": PostgresServer.password])
                defer { broker.remove() }
                let agent = try await ClientCLI.loggedIn(broker)
                var sessions: [String] = []

                // pg-ruled: column rules; the classes above.
                try await Self.connected(agent, "pg-ruled", sessions: &sessions) { port, password in
                    let aliased = try await Self.psql(port, password, "select name as x from users")
                    #expect(aliased.contains("[REDACTED:"), "the hash rule still issues a token: \(aliased)")
                    for (cls, cases) in [
                        ("aliasing", Self.aliasing), ("expressions", Self.expressions),
                        ("laundering", Self.laundering), ("errors and notices", Self.errorsAndNotices),
                    ] {
                        for sql in cases {
                            let seen = try await Self.psql(port, password, sql)
                            Self.expectNoOriginal(seen, "\(cls): \(sql)")
                        }
                    }
                    let literal = try await Self.psql(port, password, "select '\(Self.name)'::text as guess")
                    #expect(literal == "[REDACTED]", "a guessed literal gets no token to compare: \(literal)")
                    try Self.binaryAttacks(port, password)
                    try Self.undescribedPortalAttack(port, password)
                    try Self.parameterStatusAttack(port, password, value: "(select name from users limit 1)")
                }

                // pg-detect: detectors only; the same channels must still be masked.
                try await Self.connected(agent, "pg-detect", sessions: &sessions) { port, password in
                    for sql in [
                        "select email::int from users",  // error text quotes the value
                        "do $$ begin raise notice 'ssn %', (select ssn from users limit 1); end $$",
                        "listen c; select pg_notify('c', (select ssn from users limit 1))",  // (leaked before)
                        "copy (select email from users) to stdout (format binary)",  // (malformed before)
                        "copy (select note from users) to stdout",
                        "select note from users",
                    ] {
                        let seen = try await Self.psql(port, password, sql)
                        Self.expectNoOriginal(seen, "detectors: \(sql)")
                    }
                    let stored = try await Self.psql(port, password, "select email from users")
                    let guessed = try await Self.psql(port, password, "select '\(Self.email)'::text as guess")
                    #expect(stored.hasPrefix("[EMAIL:"), "a stored value gets its token: \(stored)")
                    #expect(guessed == "[EMAIL]", "a literal is redacted, not tokenised (oracle before): \(guessed)")
                    try Self.parameterStatusAttack(port, password, value: "(select email from users limit 1)")
                }

                // pg-guarded: DO is refused before it runs; what does run is masked as on pg-ruled.
                try await Self.connected(agent, "pg-guarded", sessions: &sessions) { port, password in
                    let refused = try await Self.psql(
                        port, password, "do $$ begin raise notice '%', (select name from users limit 1); end $$")
                    #expect(refused.contains("blocked by guardrail"), "the guardrail refuses DO: \(refused)")
                    Self.expectNoOriginal(refused, "guarded: DO")
                    let cast = try await Self.psql(port, password, "select name::int from users")
                    Self.expectNoOriginal(cast, "guarded: cast error")
                }

                // Hash tokens are per identity: another agent cannot pool its tokens with this one's.
                try await idp.addClient("agent-bob", secret: "bob-secret", groups: ["agents"], subject: "bob")
                let bob = try await ClientCLI.loggedIn(broker, name: "bob", clientID: "agent-bob", secret: "bob-secret")
                let tokens = try await [agent, bob, agent].asyncMap { client in
                    let exec = try await client.run(["exec", "pg-ruled", "--", "select name from users"])
                    #expect(exec.status == 0, "\(exec.stderr)")
                    Self.expectNoOriginal(exec.stdout, "exec")
                    return exec.stdout.firstMatch(of: /\[REDACTED:[0-9a-f]+\]/).map { String($0.output) }
                }
                #expect(tokens[0] != nil && tokens[0] == tokens[2], "one identity's tokens are stable: \(tokens)")
                #expect(tokens[0] != tokens[1], "identities get unrelated tokens: \(tokens)")

                for session in sessions { _ = try await agent.run(["sessions", "revoke", session]) }
                try await idp.addClient("auditor", secret: "auditor-secret", groups: ["audit"], subject: "carol")
                let auditor = try await ClientCLI.loggedIn(
                    broker, name: "auditor", clientID: "auditor", secret: "auditor-secret")
                let bundle = broker.directory.appendingPathComponent("bundle").path
                let export = try await auditor.run(["audit", "export", "--out", bundle])
                #expect(export.status == 0, "\(export.stderr)")
                await broker.stop()

                let recording = try Evidence.recording(broker, session: sessions[0])
                #expect(recording.contains { $0.kind == .result && $0.details["masking"] != nil })
                let leaks = try Self.filesContaining(Self.originals, under: broker.directory)
                #expect(leaks.isEmpty, "originals in the broker's files or the exported bundle: \(leaks)")
            }
        }
    }

    // MARK: Binary formats and reported parameters, through a raw client

    /// Extended-protocol queries asking for binary results, as psycopg 3 and pgx do.
    static func binaryAttacks(_ port: Int, _ password: String) throws {
        let cases: [(sql: String, refused: Bool)] = [
            ("select name from users", false),  // text: a token
            ("select array_agg(name) from users", false),  // text[]: elements withheld (leaked before)
            ("select row(name, ssn) from users", false),  // record: fields withheld (leaked before)
            ("select jsonb_build_object('n', name) from users", false),  // jsonb (leaked before)
            ("select convert_to(name, 'UTF8') from users", false),  // bytea (leaked before)
            ("select u from users u", true),  // the table's row type: unknown binary form (leaked before)
            ("select length(name) from users", true),  // an integer without provenance cannot be redacted
        ]
        for attack in cases {
            let client = try RawPostgresClient(port: port)
            try client.login(password: password)
            try client.send(.parse(.init(name: "", query: attack.sql, parameterTypeOIDs: [])))
            try client.send(
                .bind(
                    .init(
                        portal: "", statement: "", parameterFormats: [], parameters: [],
                        resultFormats: [.binary])))
            try client.send(.describe(.portal, name: ""))
            try client.send(.execute(portal: "", maxRows: 0))
            try client.send(.sync)
            var messages: [PostgresBackendMessage] = []
            while let message = try client.receive() {
                messages.append(message)
                if case .readyForQuery = message { break }
            }
            let seen = PostgresMaskingFixtures.visibleText(messages)
            expectNoOriginal(seen, "binary: \(attack.sql)")
            #expect(PostgresMaskingFixtures.refused(messages) == attack.refused, "binary: \(attack.sql): \(seen)")
            #expect(messages.last.map { if case .readyForQuery = $0 { true } else { false } } == true)
        }
    }

    /// asyncpg's and pgjdbc's way: describe the statement once, then Bind (binary results) and Execute alone, with
    /// no RowDescription before the rows. (Leaked before: rows without a description were masked by detectors only,
    /// and binary cells skipped.)
    static func undescribedPortalAttack(_ port: Int, _ password: String) throws {
        let client = try RawPostgresClient(port: port)
        try client.login(password: password)
        func exchange(_ messages: [PostgresFrontendMessage]) throws -> [PostgresBackendMessage] {
            for message in messages { try client.send(message) }
            var received: [PostgresBackendMessage] = []
            while let message = try client.receive() {
                received.append(message)
                if case .readyForQuery = message { break }
            }
            return received
        }
        let sql = "select name, ssn, array_agg(name) over () from users"
        _ = try exchange([
            .parse(.init(name: "s1", query: sql, parameterTypeOIDs: [])), .describe(.statement, name: "s1"), .sync,
        ])
        for _ in 0..<2 {
            let rows = try exchange([
                .bind(
                    .init(portal: "", statement: "s1", parameterFormats: [], parameters: [], resultFormats: [.binary])),
                .execute(portal: "", maxRows: 0), .sync,
            ])
            let seen = PostgresMaskingFixtures.visibleText(rows)
            expectNoOriginal(seen, "undescribed binary portal")
            #expect(!PostgresMaskingFixtures.refused(rows), "the statement's description applies: \(seen)")
            #expect(seen.contains("[REDACTED:"), "the hash rule's token arrives: \(seen)")
        }
    }

    /// `set_config('application_name', ...)` makes the server report the value in a ParameterStatus.
    static func parameterStatusAttack(_ port: Int, _ password: String, value: String) throws {
        let client = try RawPostgresClient(port: port)
        try client.login(password: password)
        try client.send(.query("select 1 from (select set_config('application_name', \(value), false)) s"))
        var reported: [String] = []
        while let message = try client.receive() {
            if case .parameterStatus(let name, let value) = message, name == "application_name" {
                reported.append(value)
            }
            if case .readyForQuery = message { break }
        }
        #expect(!reported.isEmpty, "the server reports application_name")
        expectNoOriginal(reported.joined(), "ParameterStatus via set_config (leaked before)")
    }

    // MARK: Helpers

    static func connected(
        _ agent: ClientCLI, _ resource: String, sessions: inout [String],
        _ body: (Int, String) async throws -> Void
    ) async throws {
        let (connect, port, session) = try await agent.connect(resource)
        sessions.append(session)
        let password = try ApprovalsEndToEndTests.password(connect)
        try await body(port, password)
        connect.signal(SIGINT)
        _ = try await connect.waitForExit()
    }

    /// psql's output for `sql`, errors, notices and notifications included.
    static func psql(_ port: Int, _ password: String, _ sql: String) async throws -> String {
        let result = try await ChildProcess.run(
            "/usr/bin/psql",
            ["-h", "127.0.0.1", "-p", String(port), "-U", "hoop", "-d", "testdb", "-X", "-A", "-t", "-c", sql],
            environment: ["PGPASSWORD": password, "PGSSLMODE": "disable"])
        return (result.stdout + result.stderr).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func expectNoOriginal(
        _ seen: String, _ attack: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let lowered = seen.lowercased()
        for original in originals where lowered.contains(original.lowercased()) {
            Issue.record("\(attack) leaked \(original): \(seen)", sourceLocation: sourceLocation)
        }
    }

    static func filesContaining(_ needles: [String], under directory: URL) throws -> [String] {
        var hits: [String] = []
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard let data = try? Data(contentsOf: file) else { continue }
            let lowered = Data(String(decoding: data, as: UTF8.self).lowercased().utf8)
            for needle in needles where lowered.range(of: Data(needle.lowercased().utf8)) != nil {
                hits.append("\(file.path.replacingOccurrences(of: directory.path, with: "")): \(needle)")
            }
        }
        return hits
    }
}

extension Array {
    /// `map` with an async transform, in order.
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
