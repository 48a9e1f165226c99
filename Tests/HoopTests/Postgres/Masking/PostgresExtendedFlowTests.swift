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
}
