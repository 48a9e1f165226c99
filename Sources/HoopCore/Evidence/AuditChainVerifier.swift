/// Checks a run of audit events for continuity, so both the broker (`/readyz`, tests) and an auditor's offline
/// `audit verify` apply the same rule.
package enum AuditChainVerifier {
    /// A precise description of the first broken link.
    package struct Break: Error, Sendable, Equatable, CustomStringConvertible {
        package var seq: Int64
        package var problem: String
        package var description: String { "audit chain broken at seq \(seq): \(problem)" }
    }

    /// Verifies `events` in order. `anchor` is the hash the first event must point to (genesis for a full chain),
    /// and `firstSeq` the sequence number it must carry.
    package static func verify(
        _ events: [AuditEvent],
        anchor: String = HashChain.genesis,
        firstSeq: Int64 = 1
    ) -> Break? {
        var expectedPrev = anchor
        var expectedSeq = firstSeq
        for event in events {
            if event.seq != expectedSeq {
                return Break(
                    seq: event.seq, problem: "expected seq \(expectedSeq) (an event is missing or out of order)")
            }
            if event.prev != expectedPrev {
                return Break(seq: event.seq, problem: "prev does not match the hash of seq \(expectedSeq - 1)")
            }
            if !event.isIntact {
                return Break(seq: event.seq, problem: "content does not match its hash (the event was edited)")
            }
            expectedPrev = event.hash
            expectedSeq += 1
        }
        return nil
    }
}
