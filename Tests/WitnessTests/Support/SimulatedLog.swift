import Crypto
import Foundation
import HoopCore
import Witness

/// A log the tests control completely, honest or not: its key, its leaves, and the notes and requests it can sign
/// and send. A forked copy shares the first leaves and then diverges, as a log showing two histories would.
struct SimulatedLog: Sendable {
    let origin: String
    let key: Curve25519.Signing.PrivateKey
    var tree: MemoryMerkleTree

    init(origin: String = "log.example/audit", key: Curve25519.Signing.PrivateKey = .init(), leaves: Int) {
        self.origin = origin
        self.key = key
        tree = MemoryMerkleTree(leaves: (0..<leaves).map { TreeHash.leaf(Array("event \($0)".utf8)) })
    }

    var vkey: NoteVerifierKey { key.auditPublicKey.noteKey(origin: origin) }

    /// The same log, key and origin, whose leaves from `divergingAt` on differ: another history.
    func fork(divergingAt index: Int, leaves: Int) throws -> SimulatedLog {
        var copy = self
        copy.tree = MemoryMerkleTree(
            leaves: try (0..<leaves).map { leaf in
                leaf < index
                    ? try tree.node(level: 0, index: Int64(leaf)) : TreeHash.leaf(Array("forked \(leaf)".utf8))
            })
        return copy
    }

    func checkpoint(size: Int64) throws -> TreeCheckpoint {
        TreeCheckpoint(origin: origin, size: size, root: try tree.rootHash(size: size))
    }

    func note(size: Int64) throws -> SignedNote {
        try checkpoint(size: size).signed(by: key)
    }

    /// A well-formed request with the true proof from `old` (an empty one when `old` is larger than `size`).
    func request(old: Int64, size: Int64) throws -> AddCheckpointRequest {
        let proof = old <= size ? try tree.consistencyProof(from: old, to: size) : []
        return AddCheckpointRequest(oldSize: old, proof: proof, note: try note(size: size))
    }
}
