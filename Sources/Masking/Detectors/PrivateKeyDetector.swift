/// Finds PEM private keys from `-----BEGIN … PRIVATE KEY-----` through the matching `-----END … PRIVATE KEY-----`
/// (PKCS#1 RSA, SEC1 EC, PKCS#8 plain and ENCRYPTED, OPENSSH, DSA, PGP key blocks).
///
/// A BEGIN line with no END is masked to the end of the text: a truncated key is still a key, and failing closed is
/// cheaper than leaking half of one.
enum PrivateKeyDetector {
    static let beginMarker: StaticString = "-----BEGIN "

    static func scan(_ text: ScanText, into collector: inout HitCollector) {
        var searchFrom = 0
        while let begin = text.firstIndex(of: beginMarker, from: searchFrom) {
            guard let label = privateKeyLabel(text, afterBeginAt: begin) else {
                searchFrom = begin + 1
                continue
            }
            let end = endOfBlock(text, label: label, from: label.upperBound + 5) ?? text.count
            collector.add(begin..<end, .privateKey, specificity: 4)
            searchFrom = end
        }
    }

    /// The label range of a BEGIN line (`RSA PRIVATE KEY`) when it names a private key.
    static func privateKeyLabel(_ text: ScanText, afterBeginAt begin: Int) -> Range<Int>? {
        let labelStart = begin + beginMarker.utf8CodeUnitCount
        let labelEnd = text.runEnd(from: labelStart, limit: labelStart + 64) {
            ASCII.isUpper($0) || ASCII.isDigit($0) || $0 == ASCII.space
        }
        guard text.matches("-----", at: labelEnd) else { return nil }
        let label = labelStart..<labelEnd
        let keyword: StaticString = "PRIVATE KEY"
        for index in label where text.matches(keyword, at: index) && index + keyword.utf8CodeUnitCount <= labelEnd {
            return label
        }
        return nil
    }

    /// The end of the `-----END <label>-----` line that closes the block, if present.
    private static func endOfBlock(_ text: ScanText, label: Range<Int>, from start: Int) -> Int? {
        var searchFrom = start
        while let end = text.firstIndex(of: "-----END ", from: searchFrom) {
            let labelStart = end + 9
            var matchesLabel = labelStart + label.count + 5 <= text.count
            if matchesLabel {
                for offset in 0..<label.count where text[labelStart + offset] != text[label.lowerBound + offset] {
                    matchesLabel = false
                    break
                }
            }
            if matchesLabel && text.matches("-----", at: labelStart + label.count) {
                return labelStart + label.count + 5
            }
            searchFrom = end + 1
        }
        return nil
    }
}
