import Masking
import NIOCore
import Testing

@testable import Broker
@testable import PostgresWire

/// The result masker as a hostile query would meet it: each test feeds the messages the target sends for an attack
/// and checks what the client receives. "(leaked before)" marks cases the name-based masker let through.
@Suite("Postgres result masking: provenance, binary formats, every channel")
struct PostgresResultMaskerTests {
    typealias F = PostgresMaskingFixtures
    static let name = "Zelda Quackenbush"
    static let ssn = "341-72-5918"
    static let email = "zelda@example.net"

    // MARK: Provenance

    @Test("an aliased ruled column is masked by its rule: select name as x from users (leaked before)")
    func aliasFollowsProvenance() throws {
        let out = F.run(
            try F.ruledMasker(),
            [
                .rowDescription([try F.field("x", table: F.usersOID, attribute: F.nameAttribute)]),
                .dataRow([ByteBuffer(string: Self.name)]), .commandComplete(tag: "SELECT 1"), .readyForQuery(.idle),
            ])
        let cell = try #require(F.cells(out).first?.first ?? nil)
        #expect(String(buffer: cell).hasPrefix("[REDACTED:"), "the hash rule issues a token for a ruled column")
        #expect(!F.visibleText(out).contains("Zelda"))
    }

    @Test(
        "columns without trusted provenance are withheld: expressions, views, new tables (leaked before)",
        arguments: [
            (UInt32(0), Int16(0)), (F.viewOID, Int16(2)), (UInt32(99_999), Int16(1)), (F.usersOID, Int16(0)),
        ])
    func noProvenanceIsWithheld(table: UInt32, attribute: Int16) throws {
        let out = F.run(
            try F.ruledMasker(),
            [
                .rowDescription([try F.field("lower", table: table, attribute: attribute)]),
                .dataRow([ByteBuffer(string: Self.name.lowercased())]), .readyForQuery(.idle),
            ])
        #expect(F.cells(out).first?.first.map { $0.map { String(buffer: $0) } } == "[REDACTED]")
    }

    @Test("an unruled column of a trusted table passes unless a detector fires")
    func trustedUnruledColumn() throws {
        let out = F.run(
            try F.ruledMasker(),
            [
                .rowDescription([
                    try F.field("note", table: F.ordersOID, attribute: 2),
                    try F.field("memo", table: F.ordersOID, attribute: 3),
                ]),
                .dataRow([ByteBuffer(string: "two boxes"), ByteBuffer(string: "ssn \(Self.ssn)")]),
            ])
        let row = try #require(F.cells(out).first)
        #expect(row.map { $0.map { String(buffer: $0) } } == ["two boxes", "ssn [US_SSN:\(try Self.ssnToken())]"])
    }

    @Test("column labels pass the detectors: a cursor declared by dynamic SQL can name a column after a value")
    func labelsAreMasked() throws {
        let out = F.run(try F.detectingMasker(), [.rowDescription([try F.field(Self.email)])])
        guard case .rowDescription(let fields)? = out.first else {
            Issue.record("no description")
            return
        }
        #expect(fields.map(\.name) == ["[EMAIL]"])
    }

    // MARK: Hash is no equality oracle

    @Test("a guessed literal never gets the token of the stored value (oracle before)")
    func literalGetsNoToken() throws {
        let masker = try F.masker(rules: [])
        let results = PostgresResultMasker(masker: masker)
        let out = F.run(
            results,
            [
                .rowDescription([
                    try F.field("ssn", table: F.usersOID, attribute: F.ssnAttribute),
                    try F.field("guess"),
                ]),
                .dataRow([ByteBuffer(string: Self.ssn), ByteBuffer(string: Self.ssn)]),
            ])
        let row = try #require(F.cells(out).first).map { $0.map { String(buffer: $0) } }
        #expect(row[0]?.hasPrefix("[US_SSN:") == true)
        #expect(row[1] == "[US_SSN]", "the literal is redacted, not tokenised")
    }

    @Test("hash tokens differ between identities and resources unless the resource shares them")
    func tokensAreScoped() throws {
        let masker = try F.masker(rules: [])
        func token(_ scope: [String]) -> String { masker.scoped(to: scope).mask(Self.ssn).text }
        let ada = MaskingHashScope.identity.keyScope(resource: "pg", issuer: "idp", subject: "ada")
        let bob = MaskingHashScope.identity.keyScope(resource: "pg", issuer: "idp", subject: "bob")
        let adaOther = MaskingHashScope.identity.keyScope(resource: "pg2", issuer: "idp", subject: "ada")
        #expect(token(ada) != token(bob))
        #expect(token(ada) != token(adaOther))
        #expect(token(ada) == token(ada), "stable for one identity, so its joins still work")
        let shared = MaskingHashScope.resource
        #expect(
            token(shared.keyScope(resource: "pg", issuer: "idp", subject: "ada"))
                == token(shared.keyScope(resource: "pg", issuer: "idp", subject: "bob")))
    }

    // MARK: Binary formats

    @Test("a binary text[] is masked element by element and re-encoded with its new lengths (leaked before)")
    func binaryTextArray() throws {
        let out = F.run(
            try F.detectingMasker(),
            [
                .rowDescription([try F.field("emails", type: 1009, format: .binary)]),
                .dataRow([F.binaryArray([Self.email, nil, "plain"])]),
            ])
        let cell = try #require(F.cells(out).first?.first ?? nil)
        let elements = try #require(F.decodeArray(cell), "the array stays well-formed")
        #expect(elements == ["[EMAIL]", nil, "plain"])
    }

    @Test("a ruled column aggregated into a binary array is masked per element: array_agg(ssn) (leaked before)")
    func ruledBinaryArray() throws {
        let out = F.run(
            try F.ruledMasker(),
            [
                .rowDescription([try F.field("array_agg", type: 1009, format: .binary)]),
                .dataRow([F.binaryArray([Self.name, Self.ssn])]),
            ])
        let cell = try #require(F.cells(out).first?.first ?? nil)
        #expect(F.decodeArray(cell) == ["[REDACTED]", "[REDACTED]"])
    }

    @Test("binary jsonb keeps its version byte; a withheld json value is a JSON string (leaked before)")
    func binaryJSONB() throws {
        var jsonb = ByteBuffer(integer: UInt8(1))
        jsonb.writeString("{\"e\": \"\(Self.email)\"}")
        let detected = F.run(
            try F.detectingMasker(),
            [.rowDescription([try F.field("j", type: 3802, format: .binary)]), .dataRow([jsonb])])
        let cell = try #require(F.cells(detected).first?.first ?? nil)
        #expect(cell.getInteger(at: cell.readerIndex, as: UInt8.self) == 1)
        #expect(String(buffer: cell).hasSuffix("{\"e\": \"[EMAIL]\"}"))

        let withheld = F.run(
            try F.ruledMasker(),
            [.rowDescription([try F.field("row_to_json", type: 114)]), .dataRow([ByteBuffer(string: "{}")])])
        #expect(F.cells(withheld).first?.first.map { $0.map { String(buffer: $0) } } == "\"[REDACTED]\"")
    }

    @Test("a binary record is masked field by field: select row(name, ssn) (leaked before)")
    func binaryRecord() throws {
        let out = F.run(
            try F.ruledMasker(),
            [
                .rowDescription([try F.field("row", type: 2249, format: .binary)]),
                .dataRow([F.binaryRecord([Self.name, Self.ssn])]),
            ])
        let cell = try #require(F.cells(out).first?.first ?? nil)
        #expect(cell == F.binaryRecord(["[REDACTED]", "[REDACTED]"]))
    }

    @Test(
        "binary values that cannot hold a mask refuse the result cleanly (leaked before)",
        arguments: [
            // A ruled column cast to an integer, in binary.
            (UInt32(23), ByteBuffer(integer: Int32(341_725_918)), true),
            // A card number cast to bigint: the detectors read its decimal form.
            (UInt32(20), ByteBuffer(integer: Int64(4_111_111_111_111_111)), false),
            // A whole-row reference has the table's row type: an OID the broker does not know.
            (UInt32(16_402), F.binaryRecord([Self.name]), false),
        ])
    func binaryRefused(type: UInt32, value: ByteBuffer, ruled: Bool) throws {
        let masker = ruled ? try F.ruledMasker() : try F.detectingMasker()
        let out = F.run(
            masker,
            [
                .rowDescription([try F.field("v", type: type, format: .binary)]), .dataRow([value]),
                .dataRow([value]), .commandComplete(tag: "SELECT 2"), .readyForQuery(.idle),
            ])
        #expect(F.refused(out))
        #expect(F.cells(out).isEmpty, "no row of a refused result is sent")
        #expect(out.last == .readyForQuery(.idle), "the client gets ReadyForQuery, as after any error")
        #expect(!out.contains(.commandComplete(tag: "SELECT 2")))
    }

    /// numeric's send format: ndigits, weight, sign, dscale, then base-10000 digits.
    static func numeric(_ digits: [Int16], weight: Int16, negative: Bool = false, scale: Int16) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(Int16(digits.count))
        buffer.writeInteger(weight)
        buffer.writeInteger(UInt16(negative ? 0x4000 : 0))
        buffer.writeInteger(scale)
        for digit in digits { buffer.writeInteger(digit) }
        return buffer
    }

    @Test("binary numeric is read in decimal: a card number cast to numeric is refused, an amount passes")
    func binaryNumeric() throws {
        #expect(
            PostgresCellMasker.numericText(Self.numeric([12, 3400], weight: 0, negative: true, scale: 3)) == "-12.340")
        #expect(PostgresCellMasker.numericText(Self.numeric([5], weight: -1, scale: 4)) == "0.0005")
        #expect(
            PostgresCellMasker.numericText(Self.numeric([4111, 1111, 1111, 1111], weight: 3, scale: 0))
                == "4111111111111111")
        let card = F.run(
            try F.detectingMasker(),
            [
                .rowDescription([try F.field("n", type: 1700, format: .binary)]),
                .dataRow([Self.numeric([4111, 1111, 1111, 1111], weight: 3, scale: 0)]),
            ])
        #expect(F.refused(card))
        let amount = Self.numeric([12, 3400], weight: 0, scale: 2)
        let out = F.run(
            try F.detectingMasker(),
            [.rowDescription([try F.field("n", type: 1700, format: .binary)]), .dataRow([amount])])
        #expect(F.cells(out) == [[amount]])
    }

    @Test("a plain binary integer with no detector hit passes untouched")
    func binaryIntegerPasses() throws {
        let value = ByteBuffer(integer: Int32(42))
        let out = F.run(
            try F.detectingMasker(),
            [.rowDescription([try F.field("n", type: 23, format: .binary)]), .dataRow([value])])
        #expect(F.cells(out) == [[value]])
    }

    @Test("rows without a portal description are refused: Describe S then Bind binary (leaked before)")
    func rowsWithoutDescription() throws {
        let out = F.run(
            try F.detectingMasker(),
            [
                .parameterDescription(typeOIDs: []), .rowDescription([try F.field("emails", type: 1009)]),
                .bindComplete, .dataRow([F.binaryArray([Self.email])]), .readyForQuery(.idle),
            ])
        #expect(F.refused(out))
        #expect(!F.visibleText(out).contains(Self.email))
        let bare = F.run(try F.detectingMasker(), [.dataRow([ByteBuffer(string: Self.email)])])
        #expect(F.refused(bare) && F.cells(bare).isEmpty)
    }

    @Test("COPY in binary format is refused and its data dropped (leaked before)")
    func binaryCopyRefused() throws {
        let out = F.run(
            try F.detectingMasker(),
            [
                .copyOutResponse(.init(format: .binary, columnFormats: [.binary])),
                .copyData(ByteBuffer(string: "PGCOPY\n\u{FF}\r\n\0" + Self.email)), .copyDone,
                .commandComplete(tag: "COPY 1"), .readyForQuery(.idle),
            ])
        #expect(F.refused(out))
        #expect(!F.visibleText(out).contains(Self.email))
        #expect(out.count == 2)
    }

    // MARK: Other channels

    @Test("error and notice text: every free-text field is masked, internal query included (leaked before)")
    func diagnosticsDetectors() throws {
        let diagnostic = PostgresBackendMessage.Diagnostic(fields: [
            .init(code: .severity, value: "ERROR"), .init(code: .sqlState, value: "22P02"),
            .init(code: .message, value: "invalid input syntax for type integer: \"\(Self.email)\""),
            .init(code: .init(rawValue: UInt8(ascii: "q")), value: "select '\(Self.ssn)'"),
            .init(code: .init(rawValue: UInt8(ascii: "W")), value: "PL/pgSQL function f() line 1 \(Self.email)"),
            .init(code: .init(rawValue: UInt8(ascii: "c")), value: Self.email),
        ])
        let out = F.run(try F.detectingMasker(), [.errorResponse(diagnostic), .noticeResponse(diagnostic)])
        let text = F.visibleText(out)
        #expect(!text.contains(Self.email) && !text.contains(Self.ssn))
        #expect(text.contains("22P02"))
    }

    @Test("on a resource with column rules, target error text is withheld: select name::int (leaked before)")
    func diagnosticsWithheld() throws {
        let diagnostic = PostgresBackendMessage.Diagnostic(fields: [
            .init(code: .severity, value: "ERROR"), .init(code: .sqlState, value: "22P02"),
            .init(code: .message, value: "invalid input syntax for type integer: \"\(Self.name)\""),
            .init(code: .detail, value: Self.name),
            .init(code: .init(rawValue: UInt8(ascii: "P")), value: "8"),
        ])
        let out = F.run(try F.ruledMasker(), [.errorResponse(diagnostic)])
        guard case .errorResponse(let masked)? = out.first else {
            Issue.record("no error")
            return
        }
        #expect(!F.visibleText(out).contains("Zelda"))
        #expect(masked.sqlState?.rawValue == "22P02")
        #expect(masked.value(of: .init(rawValue: UInt8(ascii: "P"))) == "8", "the position is kept")
        #expect(masked.detail == nil)
    }

    @Test("the broker's own refusals are not withheld")
    func brokerRefusalKept() throws {
        let refusal = PostgresRefusals.error(
            sqlState: .insufficientPrivilege, message: "blocked by rule x", approval: nil, hint: nil)
        guard case .pass(let out) = try F.ruledMasker().process(refusal, authoredByBroker: true) else {
            Issue.record("refusal not passed")
            return
        }
        #expect(out == refusal)
    }

    @Test("notification payloads: detectors, or withheld under column rules (leaked before)")
    func notifications() throws {
        let detected = F.run(
            try F.detectingMasker(),
            [.notificationResponse(processID: 1, channel: "c", payload: "ssn \(Self.ssn)")])
        #expect(detected == [.notificationResponse(processID: 1, channel: "c", payload: "ssn [US_SSN]")])
        let withheld = F.run(
            try F.ruledMasker(), [.notificationResponse(processID: 1, channel: "c", payload: Self.name)])
        #expect(withheld == [.notificationResponse(processID: 1, channel: "c", payload: "[REDACTED]")])
    }

    @Test("reported parameters: set_config('application_name', ...) is masked; fixed vocabularies pass (leaked before)")
    func parameterStatus() throws {
        let out = F.run(
            try F.ruledMasker(),
            [
                .parameterStatus(name: "application_name", value: Self.name),
                .parameterStatus(name: "TimeZone", value: "<ZELDA>+1"),
                .parameterStatus(name: "client_encoding", value: "UTF8"),
            ])
        #expect(
            out == [
                .parameterStatus(name: "application_name", value: "[REDACTED]"),
                .parameterStatus(name: "TimeZone", value: "[REDACTED]"),
                .parameterStatus(name: "client_encoding", value: "UTF8"),
            ])
        let detected = F.run(
            try F.detectingMasker(), [.parameterStatus(name: "application_name", value: Self.email)])
        #expect(detected == [.parameterStatus(name: "application_name", value: "[EMAIL]")])
    }

    @Test("fast-path function results: refused under column rules or when a detector fires (leaked before)")
    func functionCallResponse() throws {
        let ruled = F.run(
            try F.ruledMasker(), [.functionCallResponse(ByteBuffer(string: Self.name)), .readyForQuery(.idle)])
        #expect(F.refused(ruled) && ruled.count == 2)
        let detected = F.run(try F.detectingMasker(), [.functionCallResponse(ByteBuffer(string: Self.email))])
        #expect(F.refused(detected) && !F.visibleText(detected).contains(Self.email))
        let clean = F.run(try F.detectingMasker(), [.functionCallResponse(ByteBuffer(integer: Int32(7)))])
        #expect(clean == [.functionCallResponse(ByteBuffer(integer: Int32(7)))])
    }

    @Test("COPY is refused under column rules; under detectors its stream is masked without tokens")
    func copyText() throws {
        let refused = F.run(
            try F.ruledMasker(),
            [
                .copyOutResponse(.init(format: .text, columnFormats: [.text])),
                .copyData(ByteBuffer(string: Self.name + "\n")), .copyDone, .readyForQuery(.idle),
            ])
        #expect(F.refused(refused) && !F.visibleText(refused).contains("Zelda"))
        let detected = F.run(
            try F.detectingMasker(),
            [
                .copyOutResponse(.init(format: .text, columnFormats: [.text])),
                .copyData(ByteBuffer(string: Self.ssn + "\n")), .copyDone,
            ])
        #expect(F.visibleText(detected).contains("[US_SSN]\n"))
    }

    // MARK: Catalog snapshot

    @Test("the catalog snapshot maps rules to OIDs, schema-qualified and wildcard, and quotes names safely")
    func catalogSnapshot() throws {
        let masker = try F.masker(rules: F.rules + [ColumnRule(table: nil, column: "it's\\", strategy: .redact)])
        let snapshot = try PostgresColumnProvenance(
            rows: [
                ["T", "16400", "public", "users", "2", "name"], ["T", "16400", "public", "users", "3", "SSN"],
                ["T", "16500", "sales", "orders", "5", "email"], ["T", "16500", "sales", "orders", nil, nil],
                ["T", "16700", "archive", "users", nil, nil],
            ],
            masker: masker)
        #expect(snapshot.tables == [16_400, 16_500, 16_700])
        #expect(snapshot.ruled[.init(table: 16_400, attribute: 3)]?.name == "users.ssn")
        #expect(snapshot.ruled[.init(table: 16_500, attribute: 5)]?.name == "*.email")
        let query = PostgresColumnProvenance.catalogQuery(for: masker.policy.columns)
        #expect(query.contains("E'it\\'s\\\\'"))
        #expect(throws: PostgresCatalogError.self) {
            try PostgresColumnProvenance(rows: [["x"]], masker: masker)
        }
    }

    @Test("a rule naming a partition covers the partitioned parent's column: select ssn from all_users (leaked before)")
    func ruleOnDescendantCoversAncestor() throws {
        let masker = try F.masker(rules: [ColumnRule(table: "users_eu", column: "ssn", strategy: .redact)])
        let snapshot = try PostgresColumnProvenance(
            rows: [
                ["T", "16800", "public", "all_users", "3", "ssn"], ["D", "16800", "public", "users_eu", nil, nil],
            ],
            masker: masker)
        #expect(snapshot.ruled[.init(table: 16_800, attribute: 3)]?.name == "users_eu.ssn")
    }

    static func ssnToken() throws -> String {
        let masked = try F.masker(rules: []).mask(ssn).text
        return String(masked.dropFirst("[US_SSN:".count).dropLast())
    }
}
