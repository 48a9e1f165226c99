/// Finds payment card numbers: 13–19 digits, bare or in consistent groups separated by single spaces or dashes,
/// that pass Luhn and start with a known issuer prefix, and are not part of a longer number.
enum PaymentCardDetector {
    static func scan(_ text: ScanText, into collector: inout HitCollector) {
        var index = 0
        var digits: [UInt8] = []
        digits.reserveCapacity(24)
        var groups: [Range<Int>] = []
        groups.reserveCapacity(8)
        while index < text.count {
            // Every issuer range starts with 2–6; other digits cannot start a card.
            guard text[index] &- UInt8(ascii: "2") < 5, text.numberCanStart(at: index) else {
                index += 1
                continue
            }
            let start = index
            collectGroups(text, from: start, into: &groups)
            if let end = bestMatch(text, groups: groups, digits: &digits) {
                collector.add(start..<end, .paymentCard, specificity: 3)
                index = end
            } else {
                index = groups.last.map(\.upperBound) ?? index + 1
            }
        }
    }

    /// Digit groups separated by one repeated separator (space or dash), e.g. `4242 4242 4242 4242`.
    private static func collectGroups(_ text: ScanText, from start: Int, into groups: inout [Range<Int>]) {
        groups.removeAll(keepingCapacity: true)
        var separator: UInt8? = nil
        var index = start
        var total = 0
        while true {
            let end = text.runEnd(from: index, limit: index + 20, where: ASCII.isDigit)
            groups.append(index..<end)
            total += end - index
            guard total <= 19, end < text.count else { break }
            let next = text[end]
            guard next == ASCII.space || next == ASCII.dash, separator == nil || separator == next,
                ASCII.isDigit(text.byte(at: end + 1))
            else { break }
            separator = next
            index = end + 1
        }
    }

    /// The end of the longest prefix of `groups` that forms a valid card number and ends cleanly.
    private static func bestMatch(
        _ text: ScanText,
        groups: [Range<Int>],
        digits: inout [UInt8]
    ) -> Int? {
        var count = groups.count
        while count >= 1 {
            let candidate = groups[0..<count]
            let end = candidate[count - 1].upperBound
            let endsCleanly = count < groups.count || text.numberCanEnd(at: end)
            if endsCleanly, hasCardGrouping(candidate), isCard(text, candidate, digits: &digits) {
                return end
            }
            count -= 1
        }
        return nil
    }

    /// One bare run, groups of four with a shorter last group (`4-4-4-4`, `4-4-4-4-3`), or the 4-6-5 / 4-6-4
    /// layouts of American Express and Diners Club.
    private static func hasCardGrouping(_ groups: ArraySlice<Range<Int>>) -> Bool {
        let total = groups.reduce(0) { $0 + $1.count }
        guard (13...19).contains(total) else { return false }
        if groups.count == 1 { return true }
        let first = groups[groups.startIndex].count
        let last = groups[groups.endIndex - 1].count
        if groups.count == 3 && first == 4 && groups[groups.startIndex + 1].count == 6 && (last == 5 || last == 4) {
            return true
        }
        return groups.dropLast().allSatisfy { $0.count == 4 } && (1...4).contains(last)
    }

    private static func isCard(_ text: ScanText, _ groups: ArraySlice<Range<Int>>, digits: inout [UInt8]) -> Bool {
        digits.removeAll(keepingCapacity: true)
        for group in groups {
            for index in group { digits.append(text[index] - ASCII.zero) }
        }
        return CardIssuer.isKnown(digits) && CardIssuer.passesLuhn(digits)
    }
}
