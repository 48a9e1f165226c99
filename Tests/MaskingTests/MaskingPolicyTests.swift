import Masking
import Testing

@Suite("Masking policy validation")
struct MaskingPolicyTests {
    @Test("refuses malformed column patterns with the reason")
    func badColumnPatterns() {
        for pattern in ["ssn", "users.", ".ssn", "users.*", "a.b.c.d", "us ers.ssn"] {
            #expect(throws: MaskingPolicyError.self) { try ColumnRule(pattern: pattern, strategy: .redact) }
        }
        #expect(throws: MaskingPolicyError.invalidColumnPattern("ssn", reason: "expected table.column or *.column")) {
            try ColumnRule(pattern: "ssn", strategy: .redact)
        }
        #expect((try? ColumnRule(pattern: "public.users.ssn", strategy: .redact))?.table == "public.users")
    }

    @Test("refuses invalid custom regexes, names, duplicates and empty matches precisely")
    func badCustomDetectors() {
        func policy(_ custom: [CustomDetector], columns: [ColumnRule] = []) throws(MaskingPolicyError) {
            _ = try MaskingPolicy(detectors: [], strategy: .redact, columns: columns, custom: custom)
        }
        do {
            try policy([CustomDetector(name: "employee_id", pattern: "EMP-[0-9", strategy: .redact)])
            Issue.record("an unterminated character class compiled")
        } catch {
            guard case .invalidCustomPattern(let name, let pattern, let message) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(name == "employee_id" && pattern == "EMP-[0-9" && !message.isEmpty)
            #expect(error.description.contains("custom detector 'employee_id' has an invalid pattern"))
        }
        #expect(throws: MaskingPolicyError.invalidCustomName("Employee ID")) {
            try policy([CustomDetector(name: "Employee ID", pattern: "E[0-9]+", strategy: .redact)])
        }
        #expect(throws: MaskingPolicyError.duplicateCustomName("emp")) {
            try policy([
                CustomDetector(name: "emp", pattern: "E[0-9]+", strategy: .redact),
                CustomDetector(name: "emp", pattern: "F[0-9]+", strategy: .hash),
            ])
        }
        #expect(throws: MaskingPolicyError.customPatternMatchesEmpty(name: "any", pattern: "x*")) {
            try policy([CustomDetector(name: "any", pattern: "x*", strategy: .redact)])
        }
        #expect(throws: MaskingPolicyError.duplicateColumnRule("USERS.ssn")) {
            try policy(
                [],
                columns: [
                    ColumnRule(table: "users", column: "ssn", strategy: .redact),
                    ColumnRule(table: "USERS", column: "ssn", strategy: .hash),
                ])
        }
        #expect(throws: MaskingPolicyError.invalidPartialLength(0)) {
            _ = try MaskingPolicy(detectors: [.email], strategy: .partial(keep: 0), columns: [], custom: [])
        }
    }

    @Test("builds from YAML spellings and refuses unknown detectors")
    func spellings() throws {
        let policy = try MaskingPolicy(
            detectorSpellings: ["email", "payment_card", "cloud_keys"],
            strategySpelling: "partial",
            columns: [],
            custom: []
        )
        #expect(policy.detectors == [.email, .paymentCard, .cloudKeys])
        #expect(policy.strategy == .partial(keep: 4))
        #expect(throws: MaskingPolicyError.unknownDetector("credit_card")) {
            try MaskingPolicy(detectorSpellings: ["credit_card"], strategySpelling: "redact", columns: [], custom: [])
        }
    }

    @Test("custom detectors mask with their own label and strategy")
    func customDetector() {
        let masker = MaskingFixtures.masker(
            [.email],
            custom: [CustomDetector(name: "employee_id", pattern: #"EMP-\d{6}"#, strategy: .redact)]
        )
        let masked = masker.mask("owner EMP-004211 (émile@example.fr) EMP-12")
        #expect(masked.text == "owner [EMPLOYEE_ID] ([EMAIL]) EMP-12")
        #expect(masked.findings.counts == ["custom:employee_id": 1, "email": 1])
    }
}

@Suite("Masking summaries")
struct MaskingSummaryTests {
    @Test("counts each hit per detector and never carries the values")
    func counts() {
        let text =
            "a@example.com b@example.org 4242 4242 4242 4242 ssn 123-45-6789 ghp_" + String(repeating: "x1Y", count: 12)
        let masked = MaskingFixtures.masker().mask(text)
        #expect(masked.findings.counts == ["email": 2, "payment_card": 1, "us_ssn": 1, "cloud_keys": 1])
        #expect(masked.findings.total == 5)
        let rendered = "\(masked.findings)"
        for secret in ["a@example.com", "4242", "6789", "x1Y"] { #expect(!rendered.contains(secret)) }
        #expect(!masked.text.contains("@") && !masked.text.contains("4242") && !masked.text.contains("6789"))
    }

    @Test("unmatched text is returned unchanged with an empty summary, and summaries merge")
    func mergeAndEmpty() {
        let masker = MaskingFixtures.masker()
        let plain = masker.mask("nothing to see in row 42, version 1.2.3, on 2024-01-15")
        #expect(plain.text == "nothing to see in row 42, version 1.2.3, on 2024-01-15")
        #expect(plain.findings.isEmpty)
        var total = masker.mask("x@example.com").findings
        total.merge(masker.mask("y@example.com 10.0.0.1").findings)
        #expect(total.counts == ["email": 2, "ip_address": 1])
    }

    @Test("overlapping hits resolve to the longest, most specific one")
    func overlaps() {
        let masker = MaskingFixtures.masker()
        #expect(masker.mask("t=\(MaskingFixtures.jwt)").findings.counts == ["jwt": 1])
        let github = "ghp_" + String(repeating: "aB3", count: 12)
        #expect(masker.mask("token=\(github)").text == "token=[GITHUB_TOKEN]")
        #expect(masker.mask("DE89370400440532013000").text == "[IBAN]")
    }
}
