/// A Merkle tree held in memory, every complete subtree kept level by level: for tests, benchmarks and a
/// verifier that has all the leaves. Appending costs O(log n) amortized.
package struct MemoryMerkleTree: MerkleNodeSource, Sendable {
    /// `levels[l][i]` is the complete subtree `NodeID(level: l, index: i)`.
    private var levels: [[TreeHash]] = [[]]

    package init() {}

    package init(leaves: some Sequence<TreeHash>) {
        for leaf in leaves { append(leaf) }
    }

    package var size: Int64 { Int64(levels[0].count) }

    /// The root over every leaf; this tree holds every node, so it cannot be missing one.
    package var root: TreeHash { (try? rootHash(size: size)) ?? .empty }

    package mutating func append(_ leaf: TreeHash) {
        levels[0].append(leaf)
        var level = 0
        while levels[level].count % 2 == 0 {
            let count = levels[level].count
            let parent = TreeHash.node(levels[level][count - 2], levels[level][count - 1])
            if levels.count == level + 1 { levels.append([]) }
            levels[level + 1].append(parent)
            level += 1
        }
    }

    package func node(level: Int, index: Int64) throws -> TreeHash {
        guard level < levels.count, index >= 0, index < levels[level].count else {
            throw MerkleNodeMissing(level: level, index: index)
        }
        return levels[level][Int(index)]
    }
}

/// The part of a tree an export carries: the compact range standing for the first leaves it leaves out, then
/// every later leaf hash. Enough to compute the root at any size from the first shown leaf on, and nothing more:
/// a node the source cannot derive throws instead of being guessed.
package struct PartialMerkleTree: MerkleNodeSource, Sendable {
    private let known: [NodeID: TreeHash]
    private let leaves: [TreeHash]
    package let firstLeaf: Int64

    /// `prefix` must be exactly `MerkleMath.compactRange(count: firstLeaf)`'s nodes with their hashes, so no node
    /// it holds can stand in for a shown leaf.
    package init(prefix: [(NodeID, TreeHash)], firstLeaf: Int64, leaves: [TreeHash]) throws(PartialTreeError) {
        let expected = MerkleMath.compactRange(count: firstLeaf)
        guard prefix.map(\.0) == expected else {
            throw PartialTreeError(expected: expected, found: prefix.map(\.0))
        }
        known = Dictionary(prefix, uniquingKeysWith: { first, _ in first })
        self.firstLeaf = firstLeaf
        self.leaves = leaves
    }

    /// The leaves this source describes in full.
    package var size: Int64 { firstLeaf + Int64(leaves.count) }

    package func node(level: Int, index: Int64) throws -> TreeHash {
        let id = NodeID(level: level, index: index)
        if let hash = known[id] { return hash }
        if level == 0 {
            guard index >= firstLeaf, index < size else { throw MerkleNodeMissing(level: level, index: index) }
            return leaves[Int(index - firstLeaf)]
        }
        guard id.leaves.upperBound <= size, id.leaves.lowerBound >= 0 else {
            throw MerkleNodeMissing(level: level, index: index)
        }
        return .node(
            try node(level: level - 1, index: index * 2), try node(level: level - 1, index: index * 2 + 1))
    }
}

/// An export's prefix is not the compact range of the leaves it leaves out.
package struct PartialTreeError: Error, Sendable, Equatable, CustomStringConvertible {
    package var expected: [NodeID]
    package var found: [NodeID]

    package var description: String {
        "the prefix lists \(found.count) subtrees where the leaves it stands for need exactly \(expected.count) "
            + "(\(expected.map { "level \($0.level) index \($0.index)" }.joined(separator: ", ")))"
    }
}
