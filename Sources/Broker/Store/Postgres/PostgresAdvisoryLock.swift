/// The advisory lock keys the shared store takes (PostgreSQL scopes them to the database). Each serializes one kind
/// of work across every broker on the database; they are constants so that brokers of different releases agree.
enum PostgresAdvisoryLock: Int64 {
    /// Held for the migration transaction: brokers starting together apply each migration once, in order.
    case migrations = 0x686F_6F70_0001
    /// Held for each audit append's transaction: one writer at a time assigns `seq`, so the chain has no gaps or
    /// forks and the tree nodes an event completes are computed over committed leaves.
    case auditAppend = 0x686F_6F70_0002
    /// Held by the broker whose turn it is to sign checkpoints (session-level, on one pooled connection).
    case signingTurn = 0x686F_6F70_0003
}
