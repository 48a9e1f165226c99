import HoopCore

/// Where an export's shown leaves begin. The filter's `since` picks the first event an auditor asked for; the start
/// moves earlier so the bundle can prove what it must: the newest witnessed head is recomputed from the shown
/// leaves, so it may not lie before them, every recording segment sealed for a session the export shows must be
/// shown (a broker that served part of a session may have sealed its segment before the filter's start), and every
/// approval a shown `approval.use` spent must be shown too.
enum ExportBoundary {
    /// The number of leaves left out (as the compact range) before the first shown one; at most `events.count - 1`.
    static func leavesBefore(_ events: [AuditEvent], filter: EvidenceFilter, witnessedSize: Int64?) -> Int64 {
        guard !events.isEmpty else { return 0 }
        var boundary = Int64(events.count - 1)
        if let since = filter.since.flatMap(Timestamp.parse) {
            if let first = events.first(where: { Timestamp.parse($0.time).map { $0 >= since } ?? true }) {
                boundary = min(boundary, first.seq - 1)
            }
        } else {
            boundary = 0
        }
        if let witnessedSize { boundary = min(boundary, witnessedSize) }
        let sessions = filter.sessions(in: events[Int(boundary)...])
        if let earliest = events.first(where: { SealedRecording.seals($0, of: sessions) }) {
            boundary = min(boundary, earliest.seq - 1)
        }
        var spent: Set<Int64> = []
        for event in events[Int(boundary)...] where event.kind == .approvalUse {
            if let approval = event.approvalID { spent.insert(approval) }
        }
        if let earliest = events.first(where: { event in
            event.approvalID.map(spent.contains) == true
        }) {
            boundary = min(boundary, earliest.seq - 1)
        }
        return max(boundary, 0)
    }
}
