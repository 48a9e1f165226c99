/// Finds email addresses: a practical RFC 5322 local part (`[A-Za-z0-9._%+-]` and non-ASCII letters, no leading, trailing or doubled
/// dots), `@`, and a domain of at least two DNS labels whose last label looks like a TLD (letters, or `xn--`
/// punycode). A trailing dot ends a sentence, not the address, so it is left out of the match.
enum EmailDetector {
    static func scan(_ text: ScanText, into collector: inout HitCollector) {
        var index = 0
        var lastEnd = 0
        while index < text.count {
            if text[index] == ASCII.at, let range = match(text, at: index, notBefore: lastEnd) {
                collector.add(range, .email, specificity: 2)
                lastEnd = range.upperBound
                index = range.upperBound
            } else {
                index += 1
            }
        }
    }

    /// Local-part bytes; bytes of non-ASCII characters count too, for internationalised addresses (RFC 6531).
    @inline(__always) private static func isLocalByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || ASCII.isAlnum(byte) || byte == ASCII.dot || byte == ASCII.underscore || byte == ASCII.dash
            || byte == ASCII.plus || byte == UInt8(ascii: "%")
    }

    @inline(__always) private static func isDomainByte(_ byte: UInt8) -> Bool {
        ASCII.isAlnum(byte) || byte == ASCII.dash || byte == ASCII.dot
    }

    private static func match(_ text: ScanText, at atSign: Int, notBefore floor: Int) -> Range<Int>? {
        var start = atSign
        while start > floor && start > atSign - 64 && isLocalByte(text[start - 1]) { start -= 1 }
        if start > floor && start == atSign - 64 && isLocalByte(text[start - 1]) { return nil }
        while start < atSign && text[start] == ASCII.dot { start += 1 }
        guard start < atSign, text[atSign - 1] != ASCII.dot else { return nil }
        for index in start..<(atSign - 1) where text[index] == ASCII.dot && text[index + 1] == ASCII.dot { return nil }
        guard let end = domainEnd(text, from: atSign + 1) else { return nil }
        return start..<end
    }

    /// The end of a valid domain starting at `start`, dropping a trailing sentence dot.
    private static func domainEnd(_ text: ScanText, from start: Int) -> Int? {
        var end = text.runEnd(from: start, limit: start + 253, where: isDomainByte)
        while end > start && (text[end - 1] == ASCII.dot || text[end - 1] == ASCII.dash) { end -= 1 }
        guard end > start, text.byte(at: end) != ASCII.at else { return nil }
        var labelStart = start
        var labels = 0
        var lastLabel = start..<start
        var index = start
        while index <= end {
            if index == end || text[index] == ASCII.dot {
                let label = labelStart..<index
                guard (1...63).contains(label.count), text[label.lowerBound] != ASCII.dash,
                    text[label.upperBound - 1] != ASCII.dash
                else { return nil }
                labels += 1
                lastLabel = label
                labelStart = index + 1
            }
            index += 1
        }
        guard labels >= 2, isTopLevelDomain(text, lastLabel) else { return nil }
        return end
    }

    private static func isTopLevelDomain(_ text: ScanText, _ label: Range<Int>) -> Bool {
        if label.count > 4 && text.matchesIgnoringCase("xn--", at: label.lowerBound) { return true }
        return label.count >= 2 && label.allSatisfy { ASCII.isLetter(text[$0]) }
    }
}
