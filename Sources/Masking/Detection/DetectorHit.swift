/// One recognised value: where it is (UTF-8 byte offsets into the scanned text) and what it is.
struct DetectorHit: Sendable {
    var range: Range<Int>
    var label: HitLabel
    /// Breaks ties between hits of equal length: the more specific detector wins (a GitHub token over a generic
    /// secret covering the same bytes).
    var specificity: Int
    var strategy: MaskingStrategy
}

extension DetectorHit {
    /// Picks non-overlapping hits, longest first and then most specific, and returns them in text order.
    ///
    /// Longest-first means a JWT wins over the generic-secret hits on its segments and an IBAN over a card number
    /// inside it; specificity settles equal spans.
    static func resolve(_ hits: [DetectorHit]) -> [DetectorHit] {
        guard hits.count > 1 else { return hits }
        let ranked = hits.sorted { lhs, rhs in
            if lhs.range.count != rhs.range.count { return lhs.range.count > rhs.range.count }
            if lhs.specificity != rhs.specificity { return lhs.specificity > rhs.specificity }
            return lhs.range.lowerBound < rhs.range.lowerBound
        }
        // Kept sorted by position, so each candidate is checked against its two neighbours only.
        var chosen: [DetectorHit] = []
        chosen.reserveCapacity(ranked.count)
        for hit in ranked {
            var low = 0
            var high = chosen.count
            while low < high {
                let middle = (low + high) / 2
                if chosen[middle].range.lowerBound < hit.range.lowerBound { low = middle + 1 } else { high = middle }
            }
            if low > 0 && chosen[low - 1].range.overlaps(hit.range) { continue }
            if low < chosen.count && chosen[low].range.overlaps(hit.range) { continue }
            chosen.insert(hit, at: low)
        }
        return chosen
    }
}
