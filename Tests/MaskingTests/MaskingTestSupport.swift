import Masking

/// Maskers and fixtures shared by the masking suites.
enum MaskingFixtures {
    static let key = MaskingKey(bytes: Array(repeating: UInt8(7), count: 32))
    static let otherKey = MaskingKey(bytes: Array(repeating: UInt8(9), count: 32))

    static func masker(
        _ detectors: [DetectorKind] = DetectorKind.allCases,
        strategy: MaskingStrategy = .redact,
        columns: [ColumnRule] = [],
        custom: [CustomDetector] = [],
        key: MaskingKey = key
    ) -> ValueMasker {
        let policy = try! MaskingPolicy(detectors: detectors, strategy: strategy, columns: columns, custom: custom)
        return ValueMasker(policy: policy, key: key)
    }

    /// Masks `text` with only `detector` enabled, so a test sees exactly that detector's decisions.
    static func only(_ detector: DetectorKind, _ text: String) -> String {
        masker([detector]).mask(text).text
    }

    static let jwt =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSJ9."
        + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"

    static let privateKey = """
        -----BEGIN RSA PRIVATE KEY-----
        MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun
        VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK
        LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo
        -----END RSA PRIVATE KEY-----
        """
}

/// How an engine masks one result cell, composed from the masker's public parts the way the PostgreSQL result
/// masker composes them: the whole cell under its column rule if one applies, otherwise the detectors.
extension ValueMasker {
    func columnStrategy(table: String?, column: String) -> MaskingStrategy? {
        columnRule(table: table, column: column)?.strategy
    }

    func maskCell(_ text: String, table: String?, column: String) -> MaskedText {
        if let rule = columnRule(table: table, column: column) {
            return mask(text, column: rule.strategy, label: rule.name)
        }
        return mask(text)
    }
}
