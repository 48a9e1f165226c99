/// Finds IPv4 and IPv6 addresses by parsing them, not by shape: every IPv4 octet is 0–255 without leading zeros,
/// and IPv6 text must parse to exactly eight 16-bit groups (with at most one `::`, optionally ending in an
/// embedded IPv4 address). Version strings (`1.2.3`, `v1.2.3.4`), clock times and MAC addresses do not parse.
enum IPAddressDetector {
    static func scan(_ text: ScanText, into collector: inout HitCollector) {
        var index = 0
        while index < text.count {
            let byte = text[index]
            guard ASCII.isHex(byte) || byte == ASCII.colon, text.wordCanStart(at: index),
                text.byte(at: index - 1) != ASCII.dot, text.byte(at: index - 1) != ASCII.colon
            else {
                index += 1
                continue
            }
            if let end = ipv6(text, at: index) ?? ipv4(text, at: index) {
                collector.add(index..<end, .ipAddress, specificity: 2)
                index = end
            } else {
                index += 1
            }
        }
    }

    /// The end of a dotted-quad IPv4 address starting at `start`.
    static func ipv4(_ text: ScanText, at start: Int, requireCleanEnd: Bool = true) -> Int? {
        var index = start
        for octet in 0..<4 {
            if octet > 0 {
                guard text.byte(at: index) == ASCII.dot else { return nil }
                index += 1
            }
            let end = text.runEnd(from: index, limit: index + 4, where: ASCII.isDigit)
            let length = end - index
            guard (1...3).contains(length), length == 1 || text[index] != ASCII.zero else { return nil }
            var value = 0
            for position in index..<end { value = value * 10 + Int(text[position] - ASCII.zero) }
            guard value <= 255 else { return nil }
            index = end
        }
        if requireCleanEnd {
            let next = text.byte(at: index)
            guard text.wordCanEnd(at: index), !(next == ASCII.dot && ASCII.isDigit(text.byte(at: index + 1))) else {
                return nil
            }
        }
        return index
    }

    /// The end of an IPv6 address starting at `start`, or nil when the candidate does not parse.
    private static func ipv6(_ text: ScanText, at start: Int) -> Int? {
        // Every IPv6 text has a colon; hex words and digests, which are everywhere, have none and stop here.
        var sawColon = false
        let runEnd = text.runEnd(from: start, limit: start + 46) {
            sawColon = sawColon || $0 == ASCII.colon
            return ASCII.isHex($0) || $0 == ASCII.colon || $0 == ASCII.dot
        }
        guard sawColon, runEnd - start >= 3, text.wordCanEnd(at: runEnd) else { return nil }
        var end = runEnd
        while end > start && text[end - 1] == ASCII.dot { end -= 1 }
        if end - start >= 2 && text[end - 1] == ASCII.colon && text[end - 2] != ASCII.colon { end -= 1 }
        return parsesAsIPv6(text, start..<end) ? end : nil
    }

    /// A full IPv6 text parser: groups of 1–4 hex digits separated by `:`, at most one `::` standing for one or
    /// more zero groups, an optional trailing IPv4 address counting as two groups, eight groups in all.
    private static func parsesAsIPv6(_ text: ScanText, _ range: Range<Int>) -> Bool {
        var groups = 0
        var nonEmptyGroups = 0
        var sawCompression = false
        var index = range.lowerBound
        if text.matches("::", at: index) {
            sawCompression = true
            index += 2
        } else if text[index] == ASCII.colon {
            return false
        }
        while index < range.upperBound {
            let groupEnd = text.runEnd(from: index, limit: range.upperBound, where: ASCII.isHex)
            if groupEnd < range.upperBound && text[groupEnd] == ASCII.dot {
                guard groups <= 6, let v4End = ipv4(text, at: index, requireCleanEnd: false), v4End == range.upperBound
                else { return false }
                groups += 2
                nonEmptyGroups += 2
                index = v4End
                break
            }
            guard (1...4).contains(groupEnd - index) else { return false }
            groups += 1
            nonEmptyGroups += 1
            index = groupEnd
            if index == range.upperBound { break }
            guard text[index] == ASCII.colon else { return false }
            if text.byte(at: index + 1) == ASCII.colon {
                guard !sawCompression else { return false }
                sawCompression = true
                index += 2
                if index == range.upperBound { break }
            } else {
                index += 1
                guard index < range.upperBound else { return false }
            }
        }
        guard index == range.upperBound, nonEmptyGroups >= 2 else { return false }
        return sawCompression ? groups <= 7 : groups == 8
    }
}
