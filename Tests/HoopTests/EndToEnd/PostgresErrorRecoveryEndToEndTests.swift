import Foundation
import HoopCore
import NIOCore
import Testing

@testable import Broker
@testable import PostgresWire

/// PostgreSQL's error recovery through the broker, message for message: a COPY FROM STDIN the client abandons with
/// CopyFail, and an error in the middle of a pipelined extended-protocol batch, after which the server skips to the
/// next Sync. Each scenario runs once straight against PostgreSQL and once through the broker's engine on a
/// resource with guardrails, masking and recording, from the same raw message sequence; the client must see the
/// same backend messages in the same order (types, tags, SQLSTATEs, transaction status, row values) and leave the
/// same table contents. A guardrail refusal in a batch must look like the server's own error at that point.
@Suite("End to end: PostgreSQL error recovery, direct and through the broker", .serialized)
struct PostgresErrorRecoveryEndToEndTests {
    static func resources(pgPort: Int) -> String {
        """
          - name: pg-recovery
            type: postgres
            address: 127.0.0.1:\(pgPort)
            database: testdb
            username: hoop_scram
            password_env: PG_PASSWORD
            allow_groups: [agents]
            guardrails:
              - name: unfiltered-writes
                match: [delete_without_where, update_without_where]
                action: block
            masking:
              detectors: [email]
        """
    }

    /// Run before each side of every comparison, so both start from the same tables.
    static let reset = """
        drop table if exists items; create table items (id int primary key, label text);
        drop table if exists copied; create table copied (id int, label text);
        """

    /// The two ways to the same database, and the brokered session's id for its recording.
    struct Sides {
        var pg: PostgresServer
        var brokerPort: Int
        var brokerPassword: String
        var session: String

        /// A fresh connection, logged in: as the held login over the server's socket, or as the session's user.
        func client(_ side: Side) throws -> RawPostgresClient {
            switch side {
            case .direct:
                let socket = pg.directory.appendingPathComponent(".s.PGSQL.\(pg.port)").path
                let client = try RawPostgresClient(unixSocket: socket)
                try client.start([("user", "hoop_scram"), ("database", "testdb")])
                return client
            case .brokered:
                let client = try RawPostgresClient(port: brokerPort)
                try client.start([("user", "hoop"), ("database", "testdb")], password: brokerPassword)
                return client
            }
        }
    }

    enum Side: CaseIterable {
        case direct, brokered
    }

    /// What one run left: the client's transcript and the tables afterwards.
    struct Run: Equatable {
        var transcript: [String]
        var tables: String
    }

    static func withSides(_ body: (Sides, BrokerProcess, ClientCLI) async throws -> Void) async throws {
        try await IdentityProvider.with { idp in
            try await PostgresServer.with { pg in
                let broker = try await BrokerProcess(
                    issuer: idp.issuer, resourcesYAML: resources(pgPort: pg.port),
                    environment: ["PG_PASSWORD": PostgresServer.password])
                defer { broker.remove() }
                try await broker.stoppingAfter {
                    let agent = try await ClientCLI.loggedIn(broker)
                    let (connect, port, session) = try await agent.connect("pg-recovery")
                    let password = try ApprovalsEndToEndTests.password(connect)
                    do {
                        try await body(
                            Sides(pg: pg, brokerPort: port, brokerPassword: password, session: session), broker, agent)
                    } catch {
                        await connect.stop()
                        throw error
                    }
                    connect.signal(SIGINT)
                    _ = try await connect.waitForExit()
                }
            }
        }
    }

    /// Runs `scenario` from fresh tables on `side` and reads what it left.
    static func run(
        _ sides: Sides, _ side: Side, _ scenario: (RawPostgresClient, Side) throws -> [PostgresBackendMessage]
    ) async throws -> Run {
        let reset = try await PostgresServer.psql(port: sides.pg.port, ["-c", Self.reset])
        guard reset.status == 0 else { throw PeerError("reset: \(reset.stderr)") }
        let transcript = PostgresTranscript.lines(try scenario(try sides.client(side), side))
        let tables = try await PostgresServer.psql(
            port: sides.pg.port,
            ["-c", "select 'items', * from items order by id", "-c", "select 'copied', * from copied order by id"])
        guard tables.status == 0 else { throw PeerError("tables: \(tables.stderr)") }
        return Run(transcript: transcript, tables: tables.stdout)
    }

    /// Runs `scenario` both ways and expects the brokered run to be the direct one, after `brokeredAs` (the one
    /// difference a scenario may declare: the broker's SQLSTATE where the server had its own).
    static func compare(
        _ name: String,
        _ sides: Sides,
        brokeredAs: (String) -> String = { $0 },
        _ scenario: (RawPostgresClient, Side) throws -> [PostgresBackendMessage],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Run {
        let direct = try await run(sides, .direct, scenario)
        let brokered = try await run(sides, .brokered, scenario)
        let expected = Run(transcript: direct.transcript.map(brokeredAs), tables: direct.tables)
        #expect(
            brokered == expected,
            """
            \(name): through the broker differs from direct
            direct:   \(direct.transcript)
            brokered: \(brokered.transcript)
            direct tables:   \(direct.tables)
            brokered tables: \(brokered.tables)
            """,
            sourceLocation: sourceLocation)
        return direct
    }

    // MARK: COPY FROM STDIN abandoned with CopyFail

    @Test("CopyFail during COPY FROM STDIN, before any row, after rows, in a transaction and in the extended protocol")
    func copyFail() async throws {
        try await Self.withSides { sides, _, _ in
            let copy = PostgresFrontendMessage.query("copy copied from stdin")
            let count = PostgresFrontendMessage.query("select count(*) from copied")

            let rightAway = try await Self.compare("CopyFail right after CopyInResponse", sides) { client, _ in
                try client.send(copy)
                var seen = try client.receive(through: \.isCopyIn)
                try client.send(.copyFail(message: "the client gave up"))
                seen += try client.receive(readyForQueries: 1)
                try client.send(count)
                return seen + (try client.receive(readyForQueries: 1))
            }
            #expect(
                rightAway.transcript == [
                    "CopyInResponse text 2", "ErrorResponse 57014", "ReadyForQuery I", "RowDescription count",
                    "DataRow 0", "CommandComplete SELECT 1", "ReadyForQuery I",
                ])

            let afterRows = try await Self.compare("CopyFail after rows", sides) { client, _ in
                try client.send(copy)
                var seen = try client.receive(through: \.isCopyIn)
                try client.send(batch: [.copyRow("1\tone"), .copyRow("2\ttwo"), .copyFail(message: "producer failed")])
                seen += try client.receive(readyForQueries: 1)
                try client.send(count)
                return seen + (try client.receive(readyForQueries: 1))
            }
            #expect(afterRows.transcript.contains("ErrorResponse 57014"))
            #expect(afterRows.transcript.contains("DataRow 0"), "no row of a failed COPY stays")

            let done = try await Self.compare("CopyDone for contrast", sides) { client, _ in
                try client.send(copy)
                var seen = try client.receive(through: \.isCopyIn)
                try client.send(batch: [.copyRow("1\tone"), .copyRow("2\ttwo"), .copyDone])
                seen += try client.receive(readyForQueries: 1)
                try client.send(count)
                return seen + (try client.receive(readyForQueries: 1))
            }
            #expect(done.transcript.contains("CommandComplete COPY 2"))
            #expect(done.tables.contains("copied|1|one") && done.tables.contains("copied|2|two"))

            let inTransaction = try await Self.compare("CopyFail in a transaction", sides) { client, _ in
                try client.send(.query("begin"))
                var seen = try client.receive(readyForQueries: 1)
                try client.send(.query("insert into copied values (0, 'before')"))
                seen += try client.receive(readyForQueries: 1)
                try client.send(copy)
                seen += try client.receive(through: \.isCopyIn)
                try client.send(batch: [.copyRow("1\tone"), .copyFail(message: "producer failed")])
                seen += try client.receive(readyForQueries: 1)
                try client.send(.query("select 1"))
                seen += try client.receive(readyForQueries: 1)
                try client.send(.query("rollback"))
                return seen + (try client.receive(readyForQueries: 1))
            }
            #expect(
                Array(inTransaction.transcript.suffix(6)) == [
                    "ErrorResponse 57014", "ReadyForQuery E", "ErrorResponse 25P02", "ReadyForQuery E",
                    "CommandComplete ROLLBACK", "ReadyForQuery I",
                ])
            #expect(!inTransaction.tables.contains("before"))

            // COPY through Parse/Bind/Execute: the Sync sent with the Execute is ignored during COPY, so after the
            // CopyFail the server skips to the next Sync. A statement described before the COPY is then executed
            // without a Describe, as drivers with statement caches do: the broker's idea of the pipeline must
            // still line up with the server's. The same when the server rejects a row while the client is still
            // sending: the server skips to the next Sync and drops the CopyDone.
            let endings: [(String, [PostgresFrontendMessage], String)] = [
                ("CopyFail", [.copyRow("8\teight"), .copyFail(message: "producer failed"), .sync], "57014"),
                ("a rejected row", [.copyRow("not-a-number\tbad"), .copyRow("8\teight"), .copyDone, .sync], "22P02"),
            ]
            for (name, ending, sqlState) in endings {
                let extended = try await Self.compare("\(name) in the extended protocol", sides) { client, _ in
                    try client.send(.query("insert into copied values (7, 'seven')"))
                    var seen = try client.receive(readyForQueries: 1)
                    try client.send(batch: [
                        .prepare("rows", "select id, label from copied order by id"),
                        .describe(.statement, name: "rows"), .sync,
                    ])
                    seen += try client.receive(readyForQueries: 1)
                    try client.send(batch: [
                        .prepare("", "copy copied from stdin"), .bound(""), .describe(.portal, name: ""), .executeAll,
                        .sync,
                    ])
                    seen += try client.receive(through: \.isCopyIn)
                    try client.send(batch: ending)
                    seen += try client.receive(readyForQueries: 1)
                    try client.send(batch: [.bound("rows"), .executeAll, .sync])
                    return seen + (try client.receive(readyForQueries: 1))
                }
                #expect(extended.transcript.contains("ErrorResponse \(sqlState)"), "\(name)")
                #expect(
                    Array(extended.transcript.suffix(4)) == [
                        "BindComplete", "DataRow 7|seven", "CommandComplete SELECT 1", "ReadyForQuery I",
                    ], "\(name)")
            }
        }
    }

    // MARK: Errors in pipelined extended-protocol batches

    @Test("an error in a pipelined batch skips to Sync; later batches, several Syncs and transactions line up")
    func pipelinedErrors() async throws {
        try await Self.withSides { sides, _, _ in
            let insert = PostgresFrontendMessage.prepare("insert", "insert into items values ($1, $2)")
            let divide = PostgresFrontendMessage.prepare("divide", "select 10 / $1::int as quotient")

            let batches = try await Self.compare("pipelined batches", sides) { client, _ in
                try client.send(batch: [
                    insert, divide,
                    .bound("insert", "1", "one"), .executeAll,
                    .bound("divide", "2"), .describe(.portal, name: ""), .executeAll,
                    .bound("insert", "1", "duplicate"), .executeAll,
                    .bound("insert", "3", "skipped"), .executeAll,
                    .bound("divide", "5"), .describe(.portal, name: ""), .executeAll,
                    .sync,
                    .bound("insert", "4", "rolled back"), .executeAll,
                    .bound("divide", "0"), .describe(.portal, name: ""), .executeAll,
                    .bound("insert", "5", "skipped"), .executeAll,
                    .sync,
                    .bound("insert", "6", "six"), .executeAll,
                    .bound("divide", "5"), .describe(.portal, name: ""), .executeAll,
                    .sync,
                ])
                return try client.receive(readyForQueries: 3)
            }
            #expect(
                batches.transcript == [
                    "ParseComplete", "ParseComplete", "BindComplete", "CommandComplete INSERT 0 1", "BindComplete",
                    "RowDescription quotient", "DataRow 5", "CommandComplete SELECT 1", "BindComplete",
                    "ErrorResponse 23505", "ReadyForQuery I", "BindComplete", "CommandComplete INSERT 0 1",
                    // Dividing by a bound zero fails at Bind already: the planner folds the constant.
                    "ErrorResponse 22012", "ReadyForQuery I",
                    "BindComplete", "CommandComplete INSERT 0 1", "BindComplete", "RowDescription quotient",
                    "DataRow 2", "CommandComplete SELECT 1", "ReadyForQuery I",
                ])
            #expect(batches.tables == "items|6|six\n", "the failed batches' implicit transactions rolled back")

            let syncs = try await Self.compare("several Syncs in one write", sides) { client, _ in
                try client.send(batch: [
                    .sync, .sync,
                    .prepare("", "select 1 / 0"), .bound(""), .describe(.portal, name: ""), .executeAll, .flush,
                    .sync, .sync,
                    .prepare("", "select 2 as two"), .bound(""), .describe(.portal, name: ""), .executeAll,
                    .sync,
                ])
                return try client.receive(readyForQueries: 5)
            }
            #expect(syncs.transcript.filter { $0.hasPrefix("ReadyForQuery") }.count == 5)
            #expect(syncs.transcript.contains("ErrorResponse 22012") && syncs.transcript.contains("DataRow 2"))

            let transaction = try await Self.compare("an error in a batch inside a transaction", sides) { client, _ in
                try client.send(batch: [
                    .prepare("", "begin"), .bound(""), .executeAll,
                    insert, .bound("insert", "10", "ten"), .executeAll,
                    .bound("insert", "10", "duplicate"), .executeAll,
                    .bound("insert", "11", "skipped"), .executeAll,
                    .sync,
                    .prepare("", "select 1"), .bound(""), .executeAll, .sync,
                ])
                var seen = try client.receive(readyForQueries: 2)
                try client.send(batch: [.prepare("", "rollback"), .bound(""), .executeAll, .sync])
                seen += try client.receive(readyForQueries: 1)
                try client.send(batch: [.bound("insert", "12", "twelve"), .executeAll, .sync])
                return seen + (try client.receive(readyForQueries: 1))
            }
            #expect(
                transaction.transcript == [
                    "ParseComplete", "BindComplete", "CommandComplete BEGIN", "ParseComplete", "BindComplete",
                    "CommandComplete INSERT 0 1", "BindComplete", "ErrorResponse 23505", "ReadyForQuery E",
                    "ErrorResponse 25P02", "ReadyForQuery E", "ParseComplete", "BindComplete",
                    "CommandComplete ROLLBACK", "ReadyForQuery I", "BindComplete", "CommandComplete INSERT 0 1",
                    "ReadyForQuery I",
                ])
            #expect(transaction.tables == "items|12|twelve\n")
        }
    }

    // MARK: A guardrail refusal in a pipelined batch

    /// Direct, the refused statement's place holds one that fails at Parse too (`undefined_table`); through the
    /// broker, the guardrail refuses it there with `insufficient_privilege`.
    static func refusedOrFailing(_ side: Side) -> String {
        side == .direct ? "delete from no_such_table" : "delete from items"
    }

    static func refusalFor(_ line: String) -> String {
        line == "ErrorResponse 42P01" ? "ErrorResponse 42501" : line
    }

    @Test(
        "a guardrail-blocked statement mid-batch is an error at that point: the rest skips to Sync, later batches run")
    func guardrailMidBatch() async throws {
        try await Self.withSides { sides, broker, agent in
            let insert = PostgresFrontendMessage.prepare("insert", "insert into items values ($1, $2)")
            let batch = try await Self.compare("a refusal mid-batch", sides, brokeredAs: Self.refusalFor) {
                client, side in
                try client.send(.query("insert into items values (100, 'kept')"))
                var seen = try client.receive(readyForQueries: 1)
                try client.send(batch: [
                    insert, .bound("insert", "20", "rolled back"), .executeAll,
                    .prepare("refused", Self.refusedOrFailing(side)), .bound("refused"), .executeAll,
                    .bound("insert", "21", "skipped"), .executeAll,
                    .sync,
                    .bound("insert", "22", "twenty-two"), .executeAll,
                    .sync,
                    // The refused Parse left no statement behind, as a failed one does not.
                    .bound("refused"), .executeAll, .sync,
                ])
                seen += try client.receive(readyForQueries: 3)
                try client.send(.query("begin"))
                seen += try client.receive(readyForQueries: 1)
                try client.send(batch: [
                    .bound("insert", "30", "rolled back"), .executeAll,
                    .prepare("", Self.refusedOrFailing(side)), .bound(""), .executeAll,
                    .sync,
                ])
                seen += try client.receive(readyForQueries: 1)
                try client.send(.query("rollback"))
                return seen + (try client.receive(readyForQueries: 1))
            }
            #expect(
                batch.transcript == [
                    "CommandComplete INSERT 0 1", "ReadyForQuery I", "ParseComplete", "BindComplete",
                    "CommandComplete INSERT 0 1", "ErrorResponse 42P01", "ReadyForQuery I", "BindComplete",
                    "CommandComplete INSERT 0 1", "ReadyForQuery I", "ErrorResponse 26000", "ReadyForQuery I",
                    "CommandComplete BEGIN", "ReadyForQuery T",
                    "BindComplete", "CommandComplete INSERT 0 1", "ErrorResponse 42P01", "ReadyForQuery E",
                    "CommandComplete ROLLBACK", "ReadyForQuery I",
                ])
            #expect(batch.tables == "items|22|twenty-two\nitems|100|kept\n")

            // The recording shows the refusal where it happened, with the rule, and the later batch's statement.
            _ = try await agent.run(["sessions", "revoke", sides.session])
            let recording = try Evidence.recording(broker, session: sides.session)
            let refused = recording.filter { $0.kind == .query && $0.details["refused"] != nil }
            #expect(refused.count == 2, "\(refused)")
            #expect(refused.allSatisfy { $0.details["refused"]?.stringValue?.contains("unfiltered-writes") == true })
            let errors = recording.filter { $0.kind == .result }.compactMap {
                $0.details["error"]?["code"]?.stringValue
            }
            #expect(errors.filter { $0 == "42501" }.count == 2, "\(errors)")
            let binds = recording.filter { $0.details["step"] == "bind" }.compactMap { $0.details["parameters"] }
            #expect(binds.contains(["22", "twenty-two"]))
            let blocks = try await Evidence.auditEvents(broker).filter {
                $0.action == "statement.block" && $0.session == sides.session
            }
            #expect(blocks.count == 2)
        }
    }
}

extension PostgresBackendMessage {
    fileprivate var isCopyIn: Bool {
        if case .copyInResponse = self { true } else { false }
    }
}

extension PostgresFrontendMessage {
    /// Parse with the server inferring every parameter's type.
    fileprivate static func prepare(_ name: String, _ sql: String) -> Self {
        .parse(.init(name: name, query: sql, parameterTypeOIDs: []))
    }

    /// Bind of `statement` to the unnamed portal with text parameters, results in text.
    fileprivate static func bound(_ statement: String, _ values: String...) -> Self {
        .bind(
            .init(
                portal: "", statement: statement, parameterFormats: [],
                parameters: values.map { ByteBuffer(string: $0) }, resultFormats: []))
    }

    fileprivate static let executeAll = Self.execute(portal: "", maxRows: 0)

    /// One line of COPY's text format.
    fileprivate static func copyRow(_ line: String) -> Self {
        .copyData(ByteBuffer(string: line + "\n"))
    }
}
