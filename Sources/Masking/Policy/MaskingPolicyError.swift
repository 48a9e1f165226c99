/// Why a resource's `masking:` block was refused. Policies are validated when configuration loads, so a mistake
/// is reported once, precisely, instead of silently masking less than the operator intended.
package enum MaskingPolicyError: Error, Sendable, Equatable {
    /// A strategy spelling other than `redact`, `partial` or `hash`.
    case unknownStrategy(String)
    /// A detector spelling that is not one of ``DetectorKind``'s raw values.
    case unknownDetector(String)
    /// `partial` must keep at least one character.
    case invalidPartialLength(Int)
    /// A column rule that is not `table.column`, `schema.table.column` or `*.column`.
    case invalidColumnPattern(String, reason: String)
    /// Two column rules for the same table and column.
    case duplicateColumnRule(String)
    /// A custom detector name outside `[a-z][a-z0-9_]*`.
    case invalidCustomName(String)
    /// Two custom detectors with the same name.
    case duplicateCustomName(String)
    /// A custom pattern that does not compile; `message` is the regex compiler's diagnostic.
    case invalidCustomPattern(name: String, pattern: String, message: String)
    /// A custom pattern that matches the empty string would mask at every position.
    case customPatternMatchesEmpty(name: String, pattern: String)
}

extension MaskingPolicyError: CustomStringConvertible {
    package var description: String {
        switch self {
        case .unknownStrategy(let spelling):
            return "unknown masking strategy '\(spelling)': use redact, partial or hash"
        case .unknownDetector(let spelling):
            let known = DetectorKind.allCases.map(\.rawValue).joined(separator: ", ")
            return "unknown masking detector '\(spelling)': use one of \(known)"
        case .invalidPartialLength(let keep):
            return "partial masking must keep at least 1 character, not \(keep)"
        case .invalidColumnPattern(let pattern, let reason):
            return "invalid masking column rule '\(pattern)': \(reason)"
        case .duplicateColumnRule(let name):
            return "masking column rule '\(name)' is listed more than once"
        case .invalidCustomName(let name):
            return "invalid custom detector name '\(name)': use lower-case letters, digits and _ starting with a letter"
        case .duplicateCustomName(let name):
            return "custom detector '\(name)' is defined more than once"
        case .invalidCustomPattern(let name, let pattern, let message):
            return "custom detector '\(name)' has an invalid pattern '\(pattern)': \(message)"
        case .customPatternMatchesEmpty(let name, let pattern):
            return "custom detector '\(name)' pattern '\(pattern)' matches the empty string; it must match at least "
                + "one character"
        }
    }
}
