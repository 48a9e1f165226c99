/// Checks a run of audit events read from a store: consecutive seqs, each event's content matching its leaf hash.
/// The broker (`broker audit`, tests) applies it before it rebuilds the tree; an auditor's bundle check does the
/// same per line and then compares the rebuilt root with the signed one.
package enum AuditLeafVerifier {
    /// A precise description of the first bad event.
    package struct Break: Error, Sendable, Equatable, CustomStringConvertible {
        package var seq: Int64
        package var problem: String
        package var description: String { "audit log broken at seq \(seq): \(problem)" }
    }

    /// Verifies `events` in order, the first of which must carry `firstSeq`.
    package static func verify(_ events: [AuditEvent], firstSeq: Int64 = 1) -> Break? {
        var expectedSeq = firstSeq
        for event in events {
            if event.seq != expectedSeq {
                return Break(
                    seq: event.seq, problem: "expected seq \(expectedSeq) (an event is missing or out of order)")
            }
            if !event.isIntact {
                return Break(seq: event.seq, problem: "content does not match its leaf hash (the event was edited)")
            }
            expectedSeq += 1
        }
        return nil
    }
}
