/// Gathers the hits of one scan, stamping each with the strategy its detector runs under.
struct HitCollector {
    var hits: [DetectorHit] = []
    var strategy: MaskingStrategy

    mutating func add(_ range: Range<Int>, _ label: HitLabel, specificity: Int = 1) {
        hits.append(DetectorHit(range: range, label: label, specificity: specificity, strategy: strategy))
    }
}
