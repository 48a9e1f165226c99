import Foundation
import HoopCore
import Logging
import PostgresNIO

/// The stored levels of the audit tree, read from PostgreSQL for a body that cannot wait on the network
/// (`MerkleNodeSource.node` is synchronous). `resolve` runs the body over what is known so far; every node it asks
/// for and lacks is noted and answered with a stand-in, so one pass names all it needs (the RFC 6962 algorithms
/// choose which nodes to read from the sizes alone, never from hash values). The store then fetches them in one
/// query and runs the body again, until a pass needs nothing new; only that pass's result is kept.
///
/// This is sound because everything it reads is immutable once committed: an event and the stored nodes it
/// completes are written in one transaction, appends commit in `seq` order (under the append lock), and nothing
/// updates or deletes them. A node of a tree whose size was read earlier is therefore the same in every later query,
/// on any connection, so the passes need no common transaction and cannot mix two versions of the tree.
final class PostgresAuditNodes: StoredAuditNodes {
    private var known: [NodeID: TreeHash] = [:]
    /// Nodes the database was asked for and does not hold: asked again, they throw as missing.
    private var absent: Set<NodeID> = []
    /// Nodes the current pass asked for and does not have yet.
    private var wanted: Set<NodeID> = []

    func storedNode(level: Int, index: Int64) throws -> TreeHash {
        let id = NodeID(level: level, index: index)
        if let hash = known[id] { return hash }
        if absent.contains(id) { throw MerkleNodeMissing(level: level, index: index) }
        wanted.insert(id)
        return .empty
    }

    /// Adds a node the caller already has (a leaf it just wrote).
    func learn(_ id: NodeID, _ hash: TreeHash) {
        known[id] = hash
    }

    /// Runs `body` until it completes over real nodes only, fetching what each pass lacked on `connection`.
    func resolve<Result>(
        on connection: PostgresConnection, logger: Logger, _ body: (PostgresAuditNodes) throws -> Result
    ) async throws -> Result {
        while true {
            wanted = []
            let outcome = Swift.Result { try body(self) }
            // A pass that used stand-ins may have failed or produced anything; only a complete one counts.
            guard !wanted.isEmpty else { return try outcome.get() }
            let found = try await Self.fetch(wanted, on: connection, logger: logger)
            known.merge(found) { stored, _ in stored }
            absent.formUnion(wanted.subtracting(found.keys))
        }
    }

    /// The wanted nodes the database holds: leaves from `audit_events`, the rest from `audit_tree_nodes`.
    private static func fetch(_ ids: Set<NodeID>, on connection: PostgresConnection, logger: Logger) async throws
        -> [NodeID: TreeHash]
    {
        let seqs = ids.filter { $0.level == 0 }.map { $0.index + 1 }
        let nodes = ids.filter { $0.level > 0 }
        let levels = nodes.map { Int64($0.level) }
        let indexes = nodes.map(\.index)
        var found: [NodeID: TreeHash] = [:]
        let rows = try await connection.query(
            """
            SELECT 0::bigint, seq - 1, hash FROM audit_events WHERE seq = ANY(\(seqs))
            UNION ALL
            SELECT n.level, n.idx, n.hash FROM audit_tree_nodes n
                JOIN unnest(\(levels)::bigint[], \(indexes)::bigint[]) AS w(level, idx)
                ON n.level = w.level AND n.idx = w.idx
            """, logger: logger)
        for try await (level, index, bytes) in rows.decode((Int64, Int64, Data).self) {
            guard let hash = TreeHash(bytes: bytes) else {
                throw StoreError.corrupt(table: "audit_tree", detail: "node \(level)/\(index) is not 32 bytes")
            }
            found[NodeID(level: Int(level), index: index)] = hash
        }
        return found
    }
}
