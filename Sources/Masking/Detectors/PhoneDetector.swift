/// Finds telephone numbers in two shapes that are rarely anything else:
/// - international E.164 style, `+` then 10–15 digits with single spaces, dashes, dots or a parenthesised group
///   (`+44 20 7946 0958`, `+1 (415) 555-0132`);
/// - North American `(415) 555-0132`, `415-555-0132`, `415.555.0132`, `415 555 0132`, optionally after `1-`/`1 `,
///   with valid area and exchange codes (first digit 2–9) and one consistent separator.
///
/// Plain digit runs are never phones (they are ids and amounts far more often), and the fixed 3-3-4 layout keeps
/// dates (`2024-01-15`), versions and IP addresses out.
enum PhoneDetector {
    static func scan(_ text: ScanText, into collector: inout HitCollector) {
        var index = 0
        while index < text.count {
            let byte = text[index]
            var end: Int? = nil
            if byte == ASCII.plus {
                end = international(text, at: index)
            } else if ASCII.isDigit(byte) || byte == ASCII.openParen {
                end = northAmerican(text, at: index)
            }
            if let end {
                collector.add(index..<end, .phone, specificity: 1)
                index = end
            } else {
                index += 1
            }
        }
    }

    @inline(__always) private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == ASCII.space || byte == ASCII.dash || byte == ASCII.dot
    }

    private static func international(_ text: ScanText, at start: Int) -> Int? {
        guard text.wordCanStart(at: start), ASCII.isDigit(text.byte(at: start + 1)),
            text.byte(at: start + 1) != ASCII.zero
        else { return nil }
        var index = start + 1
        var digits = 0
        var end = index
        var openParen = false
        while index < text.count {
            let byte = text[index]
            if ASCII.isDigit(byte) {
                digits += 1
                index += 1
                end = index
                if digits > 15 { return nil }
            } else if byte == ASCII.openParen && !openParen && ASCII.isDigit(text.byte(at: index + 1)) {
                openParen = true
                index += 1
            } else if byte == ASCII.closeParen && openParen && ASCII.isDigit(text.byte(at: index - 1)) {
                openParen = false
                index += 1
                end = index
                if text.byte(at: index) == ASCII.space { index += 1 }
            } else if isSeparator(byte)
                && (ASCII.isDigit(text.byte(at: index + 1)) || text.byte(at: index + 1) == ASCII.openParen)
                && (ASCII.isDigit(text.byte(at: index - 1)))
            {
                index += 1
            } else {
                break
            }
        }
        guard !openParen, (10...15).contains(digits), text.numberCanEnd(at: end) else { return nil }
        return end
    }

    private static func northAmerican(_ text: ScanText, at start: Int) -> Int? {
        guard text.numberCanStart(at: start) else { return nil }
        var index = start
        if text[index] == UInt8(ascii: "1"), isSeparator(text.byte(at: index + 1)),
            ASCII.isDigit(text.byte(at: index + 2)) || text.byte(at: index + 2) == ASCII.openParen
        {
            index += 2
        }
        let separator: UInt8?
        if text.byte(at: index) == ASCII.openParen {
            guard digitsAt(text, index + 1, count: 3), text.byte(at: index + 4) == ASCII.closeParen else { return nil }
            guard isValidCode(text, index + 1) else { return nil }
            index += 5
            if text.byte(at: index) == ASCII.space { index += 1 }
            separator = nil
        } else {
            guard digitsAt(text, index, count: 3), isSeparator(text.byte(at: index + 3)) else { return nil }
            guard isValidCode(text, index) else { return nil }
            separator = text[index + 3]
            index += 4
        }
        guard digitsAt(text, index, count: 3), isValidCode(text, index) else { return nil }
        index += 3
        let second = text.byte(at: index)
        if let separator {
            guard second == separator else { return nil }
        } else {
            guard second == ASCII.dash || second == ASCII.dot || second == ASCII.space else { return nil }
        }
        index += 1
        guard digitsAt(text, index, count: 4) else { return nil }
        index += 4
        guard text.numberCanEnd(at: index) else { return nil }
        if text.byte(at: index) == ASCII.space && ASCII.isDigit(text.byte(at: index + 1)) { return nil }
        return index
    }

    private static func digitsAt(_ text: ScanText, _ start: Int, count: Int) -> Bool {
        guard start + count <= text.count else { return false }
        for index in start..<(start + count) where !ASCII.isDigit(text[index]) { return false }
        return true
    }

    /// Area codes and exchanges start with 2–9 in the North American Numbering Plan.
    private static func isValidCode(_ text: ScanText, _ start: Int) -> Bool {
        text[start] >= UInt8(ascii: "2")
    }
}
