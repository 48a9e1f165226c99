/// A guardrail's `regex:`, compiled once when the config loads.
public struct GuardrailPattern: @unchecked Sendable {
    // Regex is an immutable value whose compiled program is built thread-safely; it is not marked Sendable only
    // because its output type is not.
    private let regex: Regex<AnyRegexOutput>
    public let source: String

    /// Throws the compiler's message for an invalid pattern.
    public init(_ source: String) throws {
        self.source = source
        regex = try Regex(source).ignoresCase()
    }

    func matches(_ text: String) -> Bool {
        text.contains(regex)
    }
}
