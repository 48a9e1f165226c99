import Foundation
import Masking
import MySQLWire
import NIOCore
import SQLAnalysis
import Testing

@testable import Broker

/// The MySQL engine's small pure parts: KILL statements, column provenance, the result masker and literal redaction
/// for recordings.
@Suite("MySQL engine parts")
struct MySQLEnginePartsTests {
    @Test("KILL statements in the shapes clients send are mapped; any other KILL is refused, anything else is not KILL")
    func killStatements() {
        #expect(MySQLKillStatement.read("KILL QUERY 42") == .kill(.init(scope: .query, id: 42)))
        #expect(MySQLKillStatement.read("kill 7;") == .kill(.init(scope: .connection, id: 7)))
        #expect(MySQLKillStatement.read("  Kill Hard Connection 9 ") == .kill(.init(scope: .connection, id: 9)))
        for unmappable in [
            "KILL QUERY ID 5", "KILL USER bob", "KILL 1+1", "KILL", "KILL 99999999999", "KILL 5; DROP t",
        ] {
            #expect(MySQLKillStatement.read(unmappable) == .unmappable, "\(unmappable)")
        }
        #expect(MySQLKillStatement.read("select 'KILL 5'") == .notKill)
        #expect(MySQLKillStatement.read("/* x */ KiLL 5") == .unmappable, "a KILL behind a comment is still a KILL")
        #expect(!MySQLKillStatement.mentionsKill("select skil, l from t") && MySQLKillStatement.mentionsKill("kKILL"))
        #expect(MySQLKillStatement(scope: .query, id: 3).rewritten(to: 1234) == "KILL QUERY 1234")
    }

    static func column(
        _ name: String, table: String = "users", type: MySQLColumnType = .varString, schema: String = "shop"
    ) -> MySQLColumnDefinition41 {
        MySQLColumnDefinition41(
            catalog: "def", schema: schema, table: table, orgTable: table, name: name, orgName: name,
            characterSet: 45, columnLength: 80, type: type, flags: 0, decimals: 0)
    }

    static func masker(columns: [String: MaskingStrategy] = ["users.ssn": .redact]) throws -> ValueMasker {
        let rules = try columns.map { try ColumnRule(pattern: $0.key, strategy: $0.value) }
        let policy = try MaskingPolicy(detectors: [.email], strategy: .redact, columns: rules, custom: [])
        return ValueMasker(policy: policy, key: MaskingKey(bytes: Array(repeating: 7, count: 32)))
    }

    @Test("column rules follow the reported origin, only for base tables known at connect; the rest is withheld")
    func provenance() throws {
        let provenance = MySQLColumnProvenance(tables: [.init(schema: "Shop", table: "Users")])
        let masker = try Self.masker()
        #expect(
            provenance.plan(for: Self.column("ssn"), masker: masker)
                == .rule(
                    masker.columnRule(
                        table: "shop.users", column: "ssn")!))
        #expect(provenance.plan(for: Self.column("name"), masker: masker) == .detect(tokens: true))
        var alias = Self.column("ssn")
        alias.name = "innocent"
        #expect(provenance.plan(for: alias, masker: masker) != .detect(tokens: true), "aliases do not hide origin")
        #expect(provenance.plan(for: Self.column("ssn", table: "users_view"), masker: masker) == .withhold)
        var expression = Self.column("concat(ssn)")
        expression.orgTable = ""
        expression.orgName = ""
        #expect(provenance.plan(for: expression, masker: masker) == .withhold)
    }

    @Test(
        "the result masker rewrites text and binary rows, retypes whole-value replacements, refuses numbers it cannot mask"
    )
    func resultMasker() throws {
        let masker = MySQLResultMasker(
            masker: try Self.masker(),
            provenance: MySQLColumnProvenance(tables: [.init(schema: "shop", table: "users")]))
        masker.resultStarted()
        let columns = [
            Self.column("email"), Self.column("ssn", type: .longLong), Self.column("id", type: .long),
        ]
        let shown = columns.map { masker.column($0) }
        #expect(shown[0] == columns[0])
        #expect(shown[1].type == .varString, "a ruled integer is announced as a string")
        #expect(shown[2] == columns[2])

        let text = masker.textRow(
            MySQLTextRow(values: [ByteBuffer(string: "ada@example.com"), ByteBuffer(string: "123456789"), nil]))
        #expect(text?.values[0].map { String(buffer: $0) } == "[EMAIL]")
        #expect(text?.values[1].map { String(buffer: $0) } == "[REDACTED]")
        #expect(text?.values[2] == nil)
        let clean = MySQLTextRow(values: [ByteBuffer(string: "nobody"), nil, ByteBuffer(string: "1")])
        masker.resultStarted()
        _ = columns.map { masker.column($0) }
        #expect(masker.textRow(clean) == nil, "a row with nothing to mask is relayed as it came")

        let row = MySQLBinaryRow(values: [
            ByteBuffer(string: "grace@example.com"), ByteBuffer(integer: UInt64(123_456_789), endianness: .little),
            ByteBuffer(integer: UInt32(5), endianness: .little),
        ])
        guard case .row(let maybePacket, _) = masker.binaryRow(row, sequenceID: 4), let packet = maybePacket else {
            Issue.record("a maskable binary row was refused")
            return
        }
        #expect(packet.sequenceID == 4)
        let parsed = try MySQLBinaryRow(parsing: packet.payload, columns: shown)
        #expect(parsed.values[0].map { String(buffer: $0) } == "[EMAIL]")
        #expect(parsed.values[1].map { String(buffer: $0) } == "[REDACTED]")
        #expect(parsed.values[2] == row.values[2])

        // A number the detectors recognise cannot be rewritten in a binary integer: refused, never sent as it is.
        let cards = MySQLResultMasker(
            masker: ValueMasker(
                policy: try MaskingPolicy(detectors: [.paymentCard], strategy: .redact, columns: [], custom: []),
                key: MaskingKey(bytes: Array(repeating: 7, count: 32))),
            provenance: nil)
        cards.resultStarted()
        let number = Self.column("card_number", type: .longLong)
        _ = cards.column(number)
        let digits = MySQLBinaryRow(values: [ByteBuffer(integer: UInt64(4_111_111_111_111_111), endianness: .little)])
        guard case .refuse = cards.binaryRow(digits, sequenceID: 2) else {
            Issue.record("a detected number in a binary row went out")
            return
        }
    }

    @Test("error text is withheld where columns are ruled, and run through the detectors elsewhere")
    func errors() throws {
        let duplicate = MySQLErrPacket(
            code: 1062, sqlState: "23000", message: "Duplicate entry 'ada@example.com' for key 'email'")
        let strict = MySQLResultMasker(masker: try Self.masker(), provenance: nil)
        let withheld = strict.error(duplicate)
        #expect(withheld.code == 1062 && withheld.sqlState == "23000")
        #expect(!withheld.message.contains("ada@example.com"))
        let loose = MySQLResultMasker(masker: try Self.masker(columns: [:]), provenance: nil)
        #expect(loose.error(duplicate).message == "Duplicate entry '[EMAIL]' for key 'email'")
    }

    @Test("recorded MySQL statements keep names and spacing but lose every literal and comment")
    func literalRedaction() {
        let sql = "select name from `users` where ssn = '123-45-6789' and id = 42 # ada@example.com\n  and x = \"q\""
        let redacted = SQLAnalysis.redactingLiterals(sql, dialect: .mysql)
        #expect(redacted.hasPrefix("select name from `users` where ssn = ? and id = ?"))
        #expect(!redacted.contains("123-45-6789") && !redacted.contains("42") && !redacted.contains("ada@"))
        #expect(!redacted.contains("\"q\""))
        #expect(SQLAnalysis.redactingLiterals("select 'unterminated", dialect: .mysql).hasSuffix("?"))
    }
}
