/// A connection's memory of the verdicts on SQL texts it sent before, bounded in entries and in text length, so a
/// client that never repeats itself costs a few kilobytes and one that repeats itself skips the analyser.
///
/// When full it forgets everything at once: no bookkeeping on the hot path, and a workload that repeats a handful
/// of texts refills it after one round.
struct JudgementCache {
    static let capacity = 128
    /// Longer texts are judged every time: they are rare, and keeping them would make the cache's size the
    /// client's choice.
    static let longestText = 2048

    private var verdicts: [String: GuardrailJudgement] = [:]

    subscript(sql: String) -> GuardrailJudgement? {
        get { verdicts[sql] }
        set {
            guard let newValue, sql.utf8.count <= Self.longestText else { return }
            if verdicts.count >= Self.capacity { verdicts.removeAll(keepingCapacity: true) }
            verdicts[sql] = newValue
        }
    }

    var count: Int { verdicts.count }
}
