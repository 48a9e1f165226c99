/// Where the audit log's complete subtrees come from: the broker's store, a tree held in memory, or the part of a
/// tree an export carries. The RFC 6962 algorithms below need nothing else, so the broker that writes proofs and
/// the auditor who checks a bundle run the same code over different sources.
///
/// `node(level:index:)` is the hash of the complete subtree of `2^level` leaves starting at leaf
/// `index << level` (level 0 is a leaf hash). It is only ever asked for subtrees that are complete in the tree
/// being described.
package protocol MerkleNodeSource {
    func node(level: Int, index: Int64) throws -> TreeHash
}

/// The source lacks a node the computation needs: a leaf before the first one an export shows, say.
package struct MerkleNodeMissing: Error, Sendable, Equatable, CustomStringConvertible {
    package var level: Int
    package var index: Int64

    package init(level: Int, index: Int64) {
        self.level = level
        self.index = index
    }

    package var description: String {
        let first = index << Int64(level)
        return "the tree node over leaves \(first)..<\(first + (1 << Int64(level))) is not available"
    }
}

extension MerkleNodeSource {
    /// The Merkle tree hash of the leaves in `range` (RFC 6962 §2.1, MTH): split at the largest power of two below
    /// the count, so every left part is a complete subtree the source holds.
    package func subtreeHash(_ range: Range<Int64>) throws -> TreeHash {
        precondition(!range.isEmpty, "the hash of an empty range is the empty tree's, not a subtree's")
        let count = range.count
        if count & (count - 1) == 0, range.lowerBound % Int64(count) == 0 {
            let level = count.trailingZeroBitCount
            return try node(level: level, index: range.lowerBound >> Int64(level))
        }
        let split = range.lowerBound + MerkleMath.largestPowerOfTwo(below: Int64(count))
        return .node(
            try subtreeHash(range.lowerBound..<split), try subtreeHash(split..<range.upperBound))
    }

    /// The root of the tree of the first `size` leaves.
    package func rootHash(size: Int64) throws -> TreeHash {
        size == 0 ? .empty : try subtreeHash(0..<size)
    }

    /// The audit path of leaf `index` in the tree of `size` leaves, leaf side first (RFC 9162 §2.1.3.1).
    package func inclusionProof(index: Int64, size: Int64) throws -> [TreeHash] {
        precondition(index >= 0 && index < size, "leaf \(index) is not in a tree of \(size)")
        return try path(index, 0..<size)
    }

    private func path(_ leaf: Int64, _ range: Range<Int64>) throws -> [TreeHash] {
        let count = Int64(range.count)
        guard count > 1 else { return [] }
        let split = MerkleMath.largestPowerOfTwo(below: count)
        let middle = range.lowerBound + split
        if leaf < split {
            return try path(leaf, range.lowerBound..<middle) + [subtreeHash(middle..<range.upperBound)]
        }
        return try path(leaf - split, middle..<range.upperBound) + [subtreeHash(range.lowerBound..<middle)]
    }

    /// The proof that the tree of `old` leaves is a prefix of the tree of `new` (RFC 9162 §2.1.4.1); empty when
    /// `old` is 0 or equals `new`.
    package func consistencyProof(from old: Int64, to new: Int64) throws -> [TreeHash] {
        precondition(old >= 0 && old <= new, "cannot prove \(old) consistent with the smaller \(new)")
        guard old > 0, old < new else { return [] }
        return try subproof(old, 0..<new, complete: true)
    }

    private func subproof(_ old: Int64, _ range: Range<Int64>, complete: Bool) throws -> [TreeHash] {
        let count = Int64(range.count)
        if old == count {
            return complete ? [] : [try subtreeHash(range)]
        }
        let split = MerkleMath.largestPowerOfTwo(below: count)
        let middle = range.lowerBound + split
        if old <= split {
            return try subproof(old, range.lowerBound..<middle, complete: complete)
                + [subtreeHash(middle..<range.upperBound)]
        }
        return try subproof(old - split, middle..<range.upperBound, complete: false)
            + [subtreeHash(range.lowerBound..<middle)]
    }
}

/// The integer facts the tree's shape rests on.
package enum MerkleMath {
    /// The largest power of two strictly below `count` (which must be at least 2): where RFC 6962 splits a tree.
    package static func largestPowerOfTwo(below count: Int64) -> Int64 {
        precondition(count >= 2)
        return Int64(1) << Int64(63 - (count - 1).leadingZeroBitCount)
    }

    /// The complete subtrees that make up the first `count` leaves, largest (leftmost) first: one per set bit of
    /// `count`. These are the only nodes of the first `count` leaves any larger tree's hash needs, which is what
    /// lets an export leave those leaves out.
    package static func compactRange(count: Int64) -> [NodeID] {
        var nodes: [NodeID] = []
        var start: Int64 = 0
        for level in stride(from: 62, through: 0, by: -1) where count & (Int64(1) << Int64(level)) != 0 {
            nodes.append(NodeID(level: level, index: start >> Int64(level)))
            start += Int64(1) << Int64(level)
        }
        return nodes
    }
}

/// A complete subtree's place: `2^level` leaves starting at leaf `index << level`.
package struct NodeID: Sendable, Hashable {
    package var level: Int
    package var index: Int64

    package init(level: Int, index: Int64) {
        self.level = level
        self.index = index
    }

    /// The leaves it covers.
    package var leaves: Range<Int64> {
        (index << Int64(level))..<((index + 1) << Int64(level))
    }
}
