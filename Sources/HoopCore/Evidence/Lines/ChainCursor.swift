/// Walks a recording's hash chain link by link and names the first link that breaks it, in the words the audit
/// log's checks use too (deleted, inserted, reordered, edited).
struct ChainCursor {
    private(set) var expectedSeq: Int64
    private(set) var expectedPrev: String

    init(firstSeq: Int64, anchor: String) {
        expectedSeq = firstSeq
        expectedPrev = anchor
    }

    /// The last seq accepted so far.
    var lastSeq: Int64 { expectedSeq - 1 }

    /// The hash of the last link accepted (the anchor before any).
    var lastHash: String { expectedPrev }

    /// Accepts the next link, or says why it does not belong here. `intact` is false when the link's content does
    /// not match its hash; redacted stubs, whose content is withheld, pass true.
    mutating func advance(seq: Int64, prev: String, hash: String, intact: Bool) -> String? {
        if seq > expectedSeq {
            return "seq \(expectedSeq) missing (deleted or reordered)"
        }
        if seq < expectedSeq {
            return "seq \(seq) repeated or out of order where seq \(expectedSeq) belongs (inserted or reordered)"
        }
        if prev != expectedPrev {
            return "prev does not match the hash of seq \(seq - 1) (the link before it was edited or replaced)"
        }
        if !intact {
            return "content does not match its hash (edited)"
        }
        expectedSeq += 1
        expectedPrev = hash
        return nil
    }
}
