import Foundation
import HoopCore
import Testing

@Suite("Merkle tree: RFC 6962 roots and proofs")
struct MerkleTreeTests {
    @Test("the reference tree's roots, audit paths and consistency proofs come out exactly")
    func referenceVectors() throws {
        let vectors = try TransparencyVectors.load()
        let tree = MemoryMerkleTree(leaves: vectors.leafHashes)
        for (size, root) in vectors.roots {
            #expect(try tree.rootHash(size: Int64(size)!) == TransparencyVectors.hash(root), "size \(size)")
        }
        for vector in vectors.inclusion {
            let path = try tree.inclusionProof(index: vector.index, size: vector.size)
            #expect(path.map(\.hex) == vector.path, "leaf \(vector.index) of \(vector.size)")
            let root = try tree.rootHash(size: vector.size)
            #expect(
                MerkleProof.root(
                    leaf: vectors.leafHashes[Int(vector.index)], index: vector.index, size: vector.size, path: path)
                    == root)
        }
        for vector in vectors.consistency {
            let proof = try tree.consistencyProof(from: vector.old, to: vector.new)
            #expect(proof.map(\.hex) == vector.proof, "\(vector.old) to \(vector.new)")
            #expect(
                MerkleProof.isConsistent(
                    oldSize: vector.old, oldRoot: try tree.rootHash(size: vector.old), newSize: vector.new,
                    newRoot: try tree.rootHash(size: vector.new), proof: proof))
        }
    }

    @Test("every proof of every size up to 40 verifies, and any altered hash, size or index fails")
    func exhaustiveProofs() throws {
        let leaves = (0..<40).map { TreeHash.leaf(Array("leaf \($0)".utf8)) }
        let tree = MemoryMerkleTree(leaves: leaves)
        let junk = TreeHash.leaf(Array("junk".utf8))
        for size in Int64(1)...40 {
            let root = try tree.rootHash(size: size)
            for index in 0..<size {
                let path = try tree.inclusionProof(index: index, size: size)
                #expect(MerkleProof.root(leaf: leaves[Int(index)], index: index, size: size, path: path) == root)
                #expect(MerkleProof.root(leaf: junk, index: index, size: size, path: path) != root)
                if size > 1 {
                    #expect(
                        MerkleProof.root(leaf: leaves[Int(index)], index: (index + 1) % size, size: size, path: path)
                            != root)
                }
                for position in path.indices {
                    var bent = path
                    bent[position] = junk
                    #expect(MerkleProof.root(leaf: leaves[Int(index)], index: index, size: size, path: bent) != root)
                }
            }
            for old in Int64(1)...size {
                let proof = try tree.consistencyProof(from: old, to: size)
                let oldRoot = try tree.rootHash(size: old)
                #expect(
                    MerkleProof.isConsistent(oldSize: old, oldRoot: oldRoot, newSize: size, newRoot: root, proof: proof)
                )
                #expect(
                    !MerkleProof.isConsistent(oldSize: old, oldRoot: junk, newSize: size, newRoot: root, proof: proof))
                for position in proof.indices {
                    var bent = proof
                    bent[position] = junk
                    #expect(
                        !MerkleProof.isConsistent(
                            oldSize: old, oldRoot: oldRoot, newSize: size, newRoot: root, proof: bent))
                }
            }
        }
    }

    @Test("a forked tree is not consistent with the original, however the proof is built")
    func forkIsInconsistent() throws {
        let leaves = (0..<20).map { TreeHash.leaf(Array("leaf \($0)".utf8)) }
        let original = MemoryMerkleTree(leaves: leaves)
        var forkedLeaves = leaves
        forkedLeaves[7] = TreeHash.leaf(Array("rewritten".utf8))
        let forked = MemoryMerkleTree(leaves: forkedLeaves)
        let proof = try forked.consistencyProof(from: 12, to: 20)
        #expect(
            !MerkleProof.isConsistent(
                oldSize: 12, oldRoot: try original.rootHash(size: 12), newSize: 20, newRoot: forked.root, proof: proof))
        #expect(
            !MerkleProof.isConsistent(oldSize: 20, oldRoot: original.root, newSize: 12, newRoot: forked.root, proof: [])
        )
    }

    @Test("a compact range plus the later leaves gives the root at any larger size, and nothing else stands in")
    func partialTrees() throws {
        let leaves = (0..<37).map { TreeHash.leaf(Array("leaf \($0)".utf8)) }
        let tree = MemoryMerkleTree(leaves: leaves)
        for first in Int64(0)...36 {
            let prefix = try MerkleMath.compactRange(count: first).map {
                ($0, try tree.node(level: $0.level, index: $0.index))
            }
            #expect(prefix.count == first.nonzeroBitCount)
            let partial = try PartialMerkleTree(prefix: prefix, firstLeaf: first, leaves: Array(leaves[Int(first)...]))
            for size in max(first, 1)...37 {
                #expect(try partial.rootHash(size: size) == tree.rootHash(size: size), "first \(first) size \(size)")
            }
            if first == 5 {
                // Leaves 0...3 are one subtree in the prefix; the tree of 3 would need them one by one.
                #expect(throws: MerkleNodeMissing.self) { try partial.rootHash(size: 3) }
            }
        }
        let extra = [(NodeID(level: 5, index: 0), tree.root)]
        #expect(throws: PartialTreeError.self) {
            try PartialMerkleTree(prefix: extra, firstLeaf: 0, leaves: leaves)
        }
    }
}
