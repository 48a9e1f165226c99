import HoopCore

/// Where a store keeps the audit log's tree, whatever the database: level 0 is the events' leaf hashes (their
/// `hash` column), and every fourth level above (4, 8, 12, ...) is a row of `audit_tree_nodes`. The levels between
/// are recomputed from the stored level below them (at most 8 lookups), which keeps the node table to one row per
/// 16 events: most appends write the event alone, and the log costs little more than the chain it replaced.
enum AuditTreeLayout {
    /// Levels stored: multiples of this.
    static let stride = 4

    /// The stored-level subtrees that leaf `index` completes, lowest level first, with their hashes: when
    /// `index + 1` is a multiple of 16, the level-4 node ending there; of 256, also the level-8 one; and so on.
    /// `nodes` must already answer for the leaf itself; each higher node is computed with the lower ones found here.
    static func subtreesCompleted(byLeaf index: Int64, in nodes: some StoredAuditNodes) throws -> [(NodeID, TreeHash)] {
        var tree = StoredAuditTree(nodes: CompletingNodes(base: nodes))
        var completed: [(NodeID, TreeHash)] = []
        var level = stride
        while level < 63, (index + 1) % (Int64(1) << Int64(level)) == 0 {
            let id = NodeID(level: level, index: (index + 1) >> Int64(level) - 1)
            let hash = try tree.computed(level: id.level, index: id.index)
            tree.nodes.completed[id] = hash
            completed.append((id, hash))
            level += stride
        }
        return completed
    }
}

/// The stored levels of the tree (level 0 and multiples of `AuditTreeLayout.stride`), as one store reads them.
protocol StoredAuditNodes {
    /// Throws `MerkleNodeMissing` when the store has no such node.
    func storedNode(level: Int, index: Int64) throws -> TreeHash
}

/// The whole tree over a store's stored levels, as a `MerkleNodeSource`.
struct StoredAuditTree<Nodes: StoredAuditNodes>: MerkleNodeSource {
    var nodes: Nodes

    func node(level: Int, index: Int64) throws -> TreeHash {
        level % AuditTreeLayout.stride == 0
            ? try nodes.storedNode(level: level, index: index) : try computed(level: level, index: index)
    }

    /// A node from its two children, without looking it up.
    func computed(level: Int, index: Int64) throws -> TreeHash {
        .node(try node(level: level - 1, index: index * 2), try node(level: level - 1, index: index * 2 + 1))
    }
}

/// A store's nodes plus the ones an append is completing but has not written yet.
private struct CompletingNodes<Base: StoredAuditNodes>: StoredAuditNodes {
    let base: Base
    var completed: [NodeID: TreeHash] = [:]

    func storedNode(level: Int, index: Int64) throws -> TreeHash {
        try completed[NodeID(level: level, index: index)] ?? base.storedNode(level: level, index: index)
    }
}
