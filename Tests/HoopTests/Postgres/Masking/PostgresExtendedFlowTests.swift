import Masking
import NIOCore
import Testing

@testable import Broker
@testable import PostgresWire

/// Rows of portals the client never described (asyncpg, pgjdbc with cached statements) are masked with the
/// description of the statement they were bound from and the formats of their Bind; anything that does not line up
/// is refused, never guessed.
@Suite("Postgres extended protocol: rows of undescribed portals")
struct PostgresExtendedFlowTests {
    typealias F = PostgresMaskingFixtures
    static let name = "Zelda Quackenbush"

    /// A masker and the flow the statement stage would feed.
    static func stack() throws -> (PostgresResultMasker, PostgresExtendedFlow) {
        let flow = PostgresExtendedFlow()
        return (PostgresResultMasker(masker: try F.masker(), provenance: F.provenance, flow: flow), flow)
    }

    static func parse(_ name: String) -> PostgresFrontendMessage {
        .parse(.init(name: name, query: "select name from users", parameterTypeOIDs: []))
    }

    static func bind(_ statement: String, formats: [PostgresFormat]) -> PostgresFrontendMessage {
        .bind(.init(portal: "", statement: statement, parameterFormats: [], parameters: [], resultFormats: formats))
    }

    static func nameField() throws -> PostgresBackendMessage.FieldDescription {
        try F.field("name", table: F.usersOID, attribute: F.nameAttribute)
    }

    @Test("asyncpg: Describe S in one round trip, then Bind binary and Execute alone; the rule still applies")
    func describedStatementThenBinaryBind() throws {
        let (masker, flow) = try Self.stack()
        for message in [Self.parse("s1"), .describe(.statement, name: "s1"), .sync] { flow.sent(message) }
        _ = F.run(
            masker,
            [
                .parseComplete, .parameterDescription(typeOIDs: []), .rowDescription([try Self.nameField()]),
                .readyForQuery(.idle),
            ])
        for message in [Self.bind("s1", formats: [.binary]), .execute(portal: "", maxRows: 0), .sync] {
            flow.sent(message)
        }
        let out = F.run(
            masker,
            [
                .bindComplete, .dataRow([ByteBuffer(string: Self.name)]), .commandComplete(tag: "SELECT 1"),
                .readyForQuery(.idle),
            ])
        #expect(!F.refused(out))
        let cell = try #require(F.cells(out).first?.first ?? nil)
        #expect(String(buffer: cell).hasPrefix("[REDACTED:"))
        #expect(flow.pending.isEmpty)
    }

    @Test("a statement parsed again under the same name is not described by its old description")
    func newGenerationIsUndescribed() throws {
        let (masker, flow) = try Self.stack()
        for message in [Self.parse("s1"), .describe(.statement, name: "s1"), .sync] { flow.sent(message) }
        _ = F.run(
            masker,
            [
                .parseComplete, .parameterDescription(typeOIDs: []),
                .rowDescription([try F.field("item", table: F.ordersOID, attribute: 2)]), .readyForQuery(.idle),
            ])
        for message in [Self.parse("s1"), Self.bind("s1", formats: []), .execute(portal: "", maxRows: 0), .sync] {
            flow.sent(message)
        }
        let out = F.run(
            masker,
            [.parseComplete, .bindComplete, .dataRow([ByteBuffer(string: Self.name)]), .readyForQuery(.idle)])
        #expect(F.refused(out) && F.cells(out).isEmpty)
    }

    @Test("a second Execute in one batch does not inherit the first one's columns (leaked before)")
    func columnsDoNotCarryOver() throws {
        let (masker, flow) = try Self.stack()
        for message in [
            Self.parse(""), Self.bind("", formats: []), .describe(.portal, name: ""), .execute(portal: "", maxRows: 0),
            Self.parse("other"), Self.bind("other", formats: []), .execute(portal: "", maxRows: 0), .sync,
        ] {
            flow.sent(message)
        }
        let out = F.run(
            masker,
            [
                .parseComplete, .bindComplete, .rowDescription([try F.field("item", table: F.ordersOID, attribute: 2)]),
                .dataRow([ByteBuffer(string: "two boxes")]), .commandComplete(tag: "SELECT 1"),
                .parseComplete, .bindComplete, .dataRow([ByteBuffer(string: Self.name)]),
                .commandComplete(tag: "SELECT 1"), .readyForQuery(.idle),
            ])
        #expect(F.cells(out).map { $0.map { $0.map { String(buffer: $0) } } } == [["two boxes"]])
        #expect(F.refused(out))
        #expect(!F.visibleText(out).contains("Zelda"))
    }

    @Test("after an error the requests up to Sync are void, and the next batch lines up again")
    func errorSkipsToSync() throws {
        let (masker, flow) = try Self.stack()
        for message in [
            Self.parse("s1"), .describe(.statement, name: "s1"), Self.bind("s1", formats: []),
            .execute(portal: "", maxRows: 0), .sync,
        ] {
            flow.sent(message)
        }
        let failed = PostgresBackendMessage.Diagnostic(fields: [.init(code: .sqlState, value: "42601")])
        _ = F.run(masker, [.errorResponse(failed), .readyForQuery(.idle)])
        #expect(flow.pending.isEmpty)
        for message in [Self.parse("s2"), .describe(.statement, name: "s2"), .sync] { flow.sent(message) }
        _ = F.run(
            masker,
            [
                .parseComplete, .parameterDescription(typeOIDs: []), .rowDescription([try Self.nameField()]),
                .readyForQuery(.idle),
            ])
        for message in [Self.bind("s2", formats: []), .execute(portal: "", maxRows: 0), .sync] { flow.sent(message) }
        let out = F.run(
            masker, [.bindComplete, .dataRow([ByteBuffer(string: Self.name)]), .readyForQuery(.idle)])
        #expect(!F.refused(out))
        #expect(!F.visibleText(out).contains("Zelda"))
    }

    /// Describes statement `s1`, then runs `copy` (the client's messages and the target's answers, interleaved as
    /// they arrive) and checks that `s1`, bound and executed without a Describe, still has its rows masked.
    static func linesUpAfter(_ copy: [(sent: [PostgresFrontendMessage], answered: [PostgresBackendMessage])]) throws {
        let (masker, flow) = try Self.stack()
        for message in [Self.parse("s1"), .describe(.statement, name: "s1"), .sync] { flow.sent(message) }
        _ = F.run(
            masker,
            [
                .parseComplete, .parameterDescription(typeOIDs: []), .rowDescription([try Self.nameField()]),
                .readyForQuery(.idle),
            ])
        for step in copy {
            for message in step.sent { flow.sent(message) }
            _ = F.run(masker, step.answered)
        }
        #expect(flow.pending.isEmpty, "\(flow.pending)")
        for message in [Self.bind("s1", formats: []), .execute(portal: "", maxRows: 0), .sync] { flow.sent(message) }
        let out = F.run(
            masker, [.bindComplete, .dataRow([ByteBuffer(string: Self.name)]), .readyForQuery(.idle)])
        #expect(!F.refused(out))
        #expect(!F.visibleText(out).contains("Zelda"))
    }

    static let copyIn = PostgresBackendMessage.copyInResponse(.init(format: .text, columnFormats: [.text]))
    static let copyCanceled = PostgresBackendMessage.errorResponse(
        .init(fields: [.init(code: .sqlState, value: "57014")]))

    @Test(
        "libpq's COPY FROM STDIN by Execute: the Sync pipelined behind it is ignored by the target, and the next batch still lines up"
    )
    func extendedCopyIgnoresPipelinedSync() throws {
        let copy = PostgresFrontendMessage.parse(.init(name: "", query: "copy t from stdin", parameterTypeOIDs: []))
        let start: [PostgresFrontendMessage] = [
            copy, Self.bind("", formats: []), .describe(.portal, name: ""), .execute(portal: "", maxRows: 0), .sync,
        ]
        // Abandoned with CopyFail: the target skips to the Sync sent after it.
        try Self.linesUpAfter([
            (start, [.parseComplete, .bindComplete, .noData, Self.copyIn]),
            (
                [.copyData(ByteBuffer(string: "1\n")), .sync, .copyFail(message: "gave up"), .sync],
                [
                    Self.copyCanceled, .readyForQuery(.idle),
                ]
            ),
        ])
        // Finished with CopyDone: the Execute completes, and the Sync after it is the one answered.
        try Self.linesUpAfter([
            (start, [.parseComplete, .bindComplete, .noData, Self.copyIn]),
            (
                [.copyData(ByteBuffer(string: "1\n")), .copyDone, .sync],
                [
                    .commandComplete(tag: "COPY 1"), .readyForQuery(.idle),
                ]
            ),
        ])
        // A raw client that sends the whole COPY before the CopyInResponse arrives.
        try Self.linesUpAfter([
            (start + [.copyData(ByteBuffer(string: "1\n")), .copyDone, .sync], []),
            (
                [],
                [
                    .parseComplete, .bindComplete, .noData, Self.copyIn, .commandComplete(tag: "COPY 1"),
                    .readyForQuery(.idle),
                ]
            ),
        ])
        // The target rejects a row while the client is still sending: from its error on, the target skips to the
        // next Sync, which now counts, and drops the CopyDone that follows.
        try Self.linesUpAfter([
            (start, [.parseComplete, .bindComplete, .noData, Self.copyIn]),
            (
                [.copyData(ByteBuffer(string: "x\n"))],
                [.errorResponse(.init(fields: [.init(code: .sqlState, value: "22P02")]))]
            ),
            ([.copyData(ByteBuffer(string: "2\n")), .sync], [.readyForQuery(.idle)]),
            ([.copyDone], []),
        ])
        // A COPY by simple Query, with a stray Sync during the COPY.
        try Self.linesUpAfter([
            ([.query("copy t from stdin")], [Self.copyIn]),
            ([.sync, .copyFail(message: "gave up")], [Self.copyCanceled, .readyForQuery(.idle)]),
        ])
        // A COPY that fails before it starts leaves nothing behind for its input's end.
        try Self.linesUpAfter([
            (
                [.query("copy missing from stdin"), .copyData(ByteBuffer(string: "1\n")), .copyDone],
                [
                    .errorResponse(.init(fields: [.init(code: .sqlState, value: "42P01")])), .readyForQuery(.idle),
                ]
            )
        ])
    }
}
