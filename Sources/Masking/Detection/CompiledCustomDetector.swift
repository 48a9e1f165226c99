/// A custom detector with its pattern compiled, ready to run on every value.
///
/// `Regex` is not declared `Sendable`, but a compiled regex is immutable after its program is lowered, which the
/// validating match in `init` forces; its lazily built program is published atomically. Sharing one instance across
/// sessions is what keeps custom patterns from being recompiled per value.
struct CompiledCustomDetector: @unchecked Sendable {
    let label: HitLabel
    let strategy: MaskingStrategy
    private let regex: Regex<AnyRegexOutput>

    init(_ detector: CustomDetector) throws(MaskingPolicyError) {
        guard Self.isValidName(detector.name) else { throw .invalidCustomName(detector.name) }
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(detector.pattern)
        } catch {
            throw .invalidCustomPattern(name: detector.name, pattern: detector.pattern, message: "\(error)")
        }
        if (try? regex.wholeMatch(in: "")) != nil {
            throw .customPatternMatchesEmpty(name: detector.name, pattern: detector.pattern)
        }
        self.regex = regex
        self.label = .custom(detector.name)
        self.strategy = detector.strategy
    }

    /// Adds a hit for every non-empty match, with UTF-8 offsets shifted by `base` (the text's position in the
    /// buffer being masked).
    func scan(_ text: String, base: Int, into hits: inout [DetectorHit]) {
        let utf8 = text.utf8
        for match in text.matches(of: regex) where !match.range.isEmpty {
            let lower = utf8.distance(from: utf8.startIndex, to: match.range.lowerBound)
            let upper = utf8.distance(from: utf8.startIndex, to: match.range.upperBound)
            hits.append(
                DetectorHit(range: (base + lower)..<(base + upper), label: label, specificity: 5, strategy: strategy)
            )
        }
    }

    private static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, ASCII.isLower(first) else { return false }
        return name.utf8.allSatisfy { ASCII.isLower($0) || ASCII.isDigit($0) || $0 == ASCII.underscore }
    }
}
