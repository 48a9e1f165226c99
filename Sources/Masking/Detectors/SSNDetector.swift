/// Finds US Social Security numbers written `AAA-GG-SSSS` or `AAA GG SSSS`.
///
/// Nine bare digits are deliberately not matched: order numbers, ZIP+4 codes and ids are nine digits far more often
/// than SSNs are, and a column that holds bare SSNs is better covered by a column rule. Numbers the SSA never
/// issues (area 000, 666 or 900–999, group 00, serial 0000) and the well-known advertising numbers are rejected.
enum SSNDetector {
    /// Numbers printed in advertising and specimen cards, which appear in test data but identify nobody.
    private static let advertising: Set<Int> = [78_051_120, 219_099_999]

    static func scan(_ text: ScanText, into collector: inout HitCollector) {
        guard text.count >= 11 else { return }
        var index = 0
        while index + 11 <= text.count {
            if let end = match(text, at: index) {
                collector.add(index..<end, .usSSN, specificity: 2)
                index = end
            } else {
                index += 1
            }
        }
    }

    private static func match(_ text: ScanText, at start: Int) -> Int? {
        let separator = text[start + 3]
        guard separator == ASCII.dash || separator == ASCII.space, text[start + 6] == separator else { return nil }
        var value = 0
        for offset in 0..<11 where offset != 3 && offset != 6 {
            let byte = text[start + offset]
            guard ASCII.isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - ASCII.zero)
        }
        guard text.numberCanStart(at: start), text.numberCanEnd(at: start + 11) else { return nil }
        if separator == ASCII.space && (continuesWithSpacedDigits(text, before: start, after: start + 11)) {
            return nil
        }
        let area = value / 1_000_000
        let group = value / 10_000 % 100
        let serial = value % 10_000
        guard area != 0, area != 666, area < 900, group != 0, serial != 0, !advertising.contains(value) else {
            return nil
        }
        return start + 11
    }

    /// Spaced digits next to the candidate mean it is a slice of a longer spaced number (a card, a phone number).
    private static func continuesWithSpacedDigits(_ text: ScanText, before start: Int, after end: Int) -> Bool {
        (text.byte(at: start - 1) == ASCII.space && ASCII.isDigit(text.byte(at: start - 2)))
            || (text.byte(at: end) == ASCII.space && ASCII.isDigit(text.byte(at: end + 1)))
    }
}
