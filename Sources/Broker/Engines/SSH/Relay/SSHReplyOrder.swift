/// SSH answers a channel's `want-reply` requests strictly in the order they were made, but the engine answers some
/// itself (a refused shell) while others travel to the target and back. This queue puts the answers back in order:
/// an answer leaves only once every earlier request has been answered.
struct SSHReplyOrder<Action> {
    private enum Entry {
        case awaitingTarget
        case decided(success: Bool, then: Action?)
    }

    private var entries: [Entry] = []

    /// A request that was forwarded; the target's answer will come through `targetAnswered`.
    mutating func forwarded() {
        entries.append(.awaitingTarget)
    }

    /// A request the engine answers itself; `then` runs right after the answer is sent.
    mutating func decided(success: Bool, then: Action? = nil) -> [(success: Bool, then: Action?)] {
        entries.append(.decided(success: success, then: then))
        return releasable()
    }

    /// The target answered its oldest outstanding request. Returns the answers now due, in order.
    mutating func targetAnswered(success: Bool) -> [(success: Bool, then: Action?)] {
        guard let index = entries.firstIndex(where: { if case .awaitingTarget = $0 { true } else { false } }) else {
            return []
        }
        entries[index] = .decided(success: success, then: nil)
        return releasable()
    }

    private mutating func releasable() -> [(success: Bool, then: Action?)] {
        var due: [(success: Bool, then: Action?)] = []
        while let first = entries.first, case .decided(let success, let then) = first {
            due.append((success, then))
            entries.removeFirst()
        }
        return due
    }
}
