import HoopCore
import Masking

/// Masks a JSON body as it streams: every string is decoded before the detectors read it (so `a\u0040b.com` is an
/// e-mail address like `a@b.com`), numbers are read by their digits, and `columns` rules name keys — `*.email` any
/// key called `email`, `address.street` a `street` inside an object under `address` — whose whole values, objects
/// and arrays included, are masked. Keys are read by the detectors too (an API keyed by e-mail address), and a number
/// spelled with a fraction or exponent (`4.111111111111111E15`, as Jackson writes doubles) is also read by its
/// integer digits. What nothing matches leaves the broker byte for byte.
struct JSONBodyMasker {
    private var rewriter: JSONStreamRewriter
    private let masker: ValueMasker
    private(set) var summary = MaskingSummary()

    init(masker: ValueMasker, largestToken: Int) {
        self.masker = masker
        self.rewriter = JSONStreamRewriter(largestToken: largestToken)
    }

    mutating func feed(_ bytes: some Collection<UInt8>) throws(JSONStreamError) -> [UInt8] {
        var summary = self.summary
        defer { self.summary = summary }
        let masker = self.masker
        return try rewriter.feed(bytes) { scalar, path in Self.rewrite(scalar, path, masker, &summary) }
    }

    mutating func finish() throws(JSONStreamError) -> [UInt8] {
        var summary = self.summary
        defer { self.summary = summary }
        let masker = self.masker
        return try rewriter.finish { scalar, path in Self.rewrite(scalar, path, masker, &summary) }
    }

    /// The replacement for one scalar, nil when it is left alone.
    private static func rewrite(
        _ scalar: JSONStreamRewriter.Scalar, _ path: [String], _ masker: ValueMasker, _ summary: inout MaskingSummary
    ) -> [UInt8]? {
        if let rule = coveringRule(path, masker) {
            guard scalar.text != "null" || scalar.kind != .literal else { return nil }
            let masked = masker.mask(scalar.text, column: rule.strategy, label: rule.name)
            summary.merge(masked.findings)
            return CanonicalJSON.encode(.string(masked.text))
        }
        guard scalar.kind != .literal else { return nil }
        var masked = masker.mask(scalar.text)
        if masked.findings.isEmpty, scalar.kind == .number, let digits = integerDigits(scalar.text),
            digits != scalar.text
        {
            masked = masker.mask(digits)
        }
        guard !masked.findings.isEmpty else { return nil }
        summary.merge(masked.findings)
        return CanonicalJSON.encode(.string(masked.text))
    }

    /// The integer a JSON number spells, in plain digits, when it is one a detector could recognise.
    private static func integerDigits(_ number: String) -> String? {
        guard let value = Double(number), value.isFinite, value == value.rounded(), abs(value) < 1e18 else {
            return nil
        }
        return String(Int64(value))
    }

    /// The rule covering a value at `path`: the innermost key a `columns` rule names, with the key enclosing it as
    /// the rule's table, so a rule on an object's key masks everything inside it.
    private static func coveringRule(_ path: [String], _ masker: ValueMasker) -> ColumnRule? {
        guard !masker.policy.columns.isEmpty else { return nil }
        for index in path.indices.reversed() {
            let parent = index > 0 ? path[index - 1] : nil
            if let rule = masker.columnRule(table: parent, column: path[index]) { return rule }
        }
        return nil
    }
}
