/// Checking RFC 6962 proofs with nothing but the hashes in them (RFC 9162 §2.1.3.2 and §2.1.4.2): what a witness
/// runs before it cosigns and what `audit verify` runs on an inclusion proof.
package enum MerkleProof {
    /// The root that `path` leads to from leaf `index` with hash `leaf` in a tree of `size`, or nil when the path
    /// has the wrong length for that position.
    package static func root(leaf: TreeHash, index: Int64, size: Int64, path: [TreeHash]) -> TreeHash? {
        guard index >= 0, index < size else { return nil }
        var position = index
        var last = size - 1
        var hash = leaf
        for sibling in path {
            guard last != 0 else { return nil }
            if position & 1 == 1 || position == last {
                hash = .node(sibling, hash)
                while position & 1 == 0 && position != 0 {
                    position >>= 1
                    last >>= 1
                }
            } else {
                hash = .node(hash, sibling)
            }
            position >>= 1
            last >>= 1
        }
        return last == 0 ? hash : nil
    }

    /// True when `proof` shows the tree of `oldSize` leaves with root `oldRoot` to be a prefix of the tree of
    /// `newSize` leaves with root `newRoot`.
    package static func isConsistent(
        oldSize: Int64, oldRoot: TreeHash, newSize: Int64, newRoot: TreeHash, proof: [TreeHash]
    ) -> Bool {
        guard oldSize >= 0, oldSize <= newSize else { return false }
        if oldSize == 0 { return proof.isEmpty }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        var path = proof[...]
        if oldSize & (oldSize - 1) == 0 {
            path = [oldRoot] + path
        }
        guard let first = path.first else { return false }
        var position = oldSize - 1
        var last = newSize - 1
        while position & 1 == 1 {
            position >>= 1
            last >>= 1
        }
        var oldHash = first
        var newHash = first
        for sibling in path.dropFirst() {
            guard last != 0 else { return false }
            if position & 1 == 1 || position == last {
                oldHash = .node(sibling, oldHash)
                newHash = .node(sibling, newHash)
                while position & 1 == 0 && position != 0 {
                    position >>= 1
                    last >>= 1
                }
            } else {
                newHash = .node(newHash, sibling)
            }
            position >>= 1
            last >>= 1
        }
        return oldHash == oldRoot && newHash == newRoot && last == 0
    }
}
