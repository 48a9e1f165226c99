import Masking
import Testing

@Suite("Masking strategies")
struct MaskingStrategyTests {
    @Test(
        "redact replaces each detector's hits with its label",
        arguments: [
            ("alice@example.com", "[EMAIL]"), ("4242 4242 4242 4242", "[PAYMENT_CARD]"), ("123-45-6789", "[US_SSN]"),
            ("415-555-0132", "[PHONE]"), ("DE89 3704 0044 0532 0130 00", "[IBAN]"), ("10.1.2.3", "[IP_ADDRESS]"),
            (MaskingFixtures.jwt, "[JWT]"), (MaskingFixtures.privateKey, "[PRIVATE_KEY]"),
            ("AKIAIOSFODNN7EXAMPLE", "[AWS_KEY]"),
        ])
    func redactLabels(value: String, label: String) {
        #expect(MaskingFixtures.masker().mask("a \(value) z").text == "a \(label) z")
    }

    @Test(
        "partial keeps the last four letters or digits and the separators",
        arguments: [
            ("4242 4242 4242 4242", "**** **** **** 4242"), ("123-45-6789", "***-**-6789"),
            ("(415) 555-0132", "(***) ***-0132"), ("alice@example.com", "*****@example.com"),
            (MaskingFixtures.privateKey, "[PRIVATE_KEY]"),
        ])
    func partial(value: String, expected: String) {
        #expect(MaskingFixtures.masker(strategy: .partial()).mask("v=\(value)").text == "v=\(expected)")
    }

    @Test("partial never reveals more than half of a short value")
    func partialShortValue() {
        let masked = MaskingFixtures.masker().mask("Bob", column: .partial(keep: 4), label: "users.name")
        #expect(masked.text == "**b")
    }

    @Test("hash tokens are stable under one key and differ under another")
    func hashStability() throws {
        let first = MaskingFixtures.masker(strategy: .hash).mask("mail alice@example.com").text
        let second = MaskingFixtures.masker(strategy: .hash).mask("mail alice@example.com").text
        let otherKey = MaskingFixtures.masker(strategy: .hash, key: MaskingFixtures.otherKey)
            .mask("mail alice@example.com").text
        let otherValue = MaskingFixtures.masker(strategy: .hash).mask("mail bob@example.com").text
        #expect(first == second)
        #expect(first != otherKey)
        #expect(first != otherValue)
        let token = try #require(first.split(separator: " ").last)
        #expect(token.hasPrefix("[EMAIL:") && token.hasSuffix("]"))
        #expect(token.count == "[EMAIL:]".count + 10)
        #expect(token.dropFirst(7).dropLast().allSatisfy { $0.isHexDigit })
    }

    @Test("strategy spellings parse and unknown ones are refused")
    func spellings() throws {
        #expect(try MaskingStrategy(spelling: "redact") == .redact)
        #expect(try MaskingStrategy(spelling: "partial") == .partial(keep: 4))
        #expect(try MaskingStrategy(spelling: "hash") == .hash)
        #expect(throws: MaskingPolicyError.unknownStrategy("scramble")) { try MaskingStrategy(spelling: "scramble") }
    }
}

@Suite("Masking column rules")
struct MaskingColumnRuleTests {
    let masker = MaskingFixtures.masker(
        strategy: .redact,
        columns: [
            try! ColumnRule(pattern: "users.ssn", strategy: .partial()),
            try! ColumnRule(pattern: "*.email", strategy: .hash),
            try! ColumnRule(pattern: "*.ssn", strategy: .redact),
        ])

    @Test("an exact table.column rule applies to that table only, and beats a wildcard rule")
    func exactRule() {
        #expect(masker.columnStrategy(table: "users", column: "ssn") == .partial())
        #expect(masker.columnStrategy(table: "public.users", column: "SSN") == .partial())
        #expect(masker.columnStrategy(table: "orders", column: "ssn") == .redact)
        #expect(masker.columnStrategy(table: "users", column: "name") == nil)
    }

    @Test("wildcard rules apply when the table is unknown")
    func wildcardRule() {
        #expect(masker.columnStrategy(table: nil, column: "email") == .hash)
        #expect(masker.columnStrategy(table: "accounts", column: "email") == .hash)
        #expect(masker.columnRule(table: nil, column: "ssn")?.name == "*.ssn")
    }

    @Test("a column rule masks the whole cell and takes precedence over detectors")
    func precedence() {
        let cell = masker.maskCell("call 415-555-0132 or 123-45-6789", table: "users", column: "ssn")
        #expect(cell.text == "**** ***-***-**** ** ***-**-6789")
        #expect(cell.findings.counts == ["column:users.ssn": 1])
        let redacted = masker.maskCell("anything at all", table: "orders", column: "ssn")
        #expect(redacted.text == "[REDACTED]")
        let detected = masker.maskCell("call 415-555-0132", table: "users", column: "notes")
        #expect(detected.text == "call [PHONE]")
        #expect(detected.findings.counts == ["phone": 1])
    }

    @Test("hashed column tokens join across columns and keep an email's domain under partial")
    func columnHashAndEmail() {
        let left = masker.mask("alice@example.com", column: .hash, label: "users.email")
        let right = masker.mask("alice@example.com", column: .hash, label: "orders.email")
        #expect(left.text == right.text)
        #expect(left.text.hasPrefix("[REDACTED:"))
        #expect(masker.mask("alice@example.com", column: .partial(), label: "x.email").text == "*****@example.com")
    }
}
