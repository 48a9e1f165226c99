import Foundation

/// A guardrail's `regex:` (ICU syntax, case-insensitive), compiled once when the config loads.
///
/// Built on `NSRegularExpression` rather than Swift's `Regex`: every statement on a guarded resource is matched
/// against every pattern, and the ICU engine is many times faster at that per call, which the broker's throughput
/// per statement showed.
package struct GuardrailPattern: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented safe to use from several threads.
    private let regex: NSRegularExpression
    package let source: String

    /// Throws the compiler's message for an invalid pattern.
    package init(_ source: String) throws {
        self.source = source
        regex = try NSRegularExpression(pattern: source, options: [.caseInsensitive])
    }

    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
