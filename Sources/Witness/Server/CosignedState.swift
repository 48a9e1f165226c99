package import HoopCore

/// The newest checkpoint a witness cosigned for one log: the only state tlog-witness asks it to keep. A log it never
/// cosigned for stands at the empty tree, whose root is fixed, so a size-0 checkpoint with another root is a fork.
package struct CosignedState: Sendable, Equatable {
    package var size: Int64
    package var root: TreeHash

    package init(size: Int64, root: TreeHash) {
        self.size = size
        self.root = root
    }

    package static let empty = CosignedState(size: 0, root: .empty)
}
