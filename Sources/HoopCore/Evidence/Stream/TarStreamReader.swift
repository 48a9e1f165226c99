/// Reads a tar stream as it arrives, in whatever pieces the network hands over, and turns it into file events
/// without holding more than a header block: a bundle of any size can be written to disk as it streams in.
///
/// Refuses what an evidence bundle never holds — anything but regular files, absolute paths or `..`, a path seen
/// twice — and a stream that stops anywhere but after the end-of-archive blocks, so a transfer cut short is never
/// taken for a whole bundle.
package struct TarStreamReader: Sendable {
    package enum Event: Sendable, Equatable {
        /// A file begins; `data` events with exactly `size` bytes follow, then `endOfFile`.
        case file(TarHeader)
        case data([UInt8])
        case endOfFile
    }

    private enum State: Sendable {
        case header
        case data(remaining: Int64, size: Int64)
        case padding(remaining: Int)
        /// After the first zero block: the second must follow.
        case closing
        /// After both zero blocks: only zeros (a writer's record padding) may follow.
        case finished
    }

    private var state = State.header
    private var block: [UInt8] = []
    private var seen: Set<String> = []

    package init() {}

    /// Whether the end-of-archive blocks have been read.
    package var isFinished: Bool {
        if case .finished = state { return true }
        return false
    }

    /// The events `bytes` complete, in order.
    package mutating func feed(_ bytes: some Collection<UInt8>) throws(TarError) -> [Event] {
        var events: [Event] = []
        var rest = Array(bytes)[...]
        while !rest.isEmpty {
            switch state {
            case .header, .closing:
                let wanted = TarHeader.blockSize - block.count
                block += rest.prefix(wanted)
                rest = rest.dropFirst(wanted)
                guard block.count == TarHeader.blockSize else { break }
                let header = try TarHeader.decode(block[...])
                block.removeAll(keepingCapacity: true)
                if case .closing = state {
                    guard header == nil else { throw TarError.trailingData }
                    state = .finished
                } else if let header {
                    guard seen.insert(header.path).inserted else { throw TarError.duplicate(header.path) }
                    events.append(.file(header))
                    if header.size == 0 {
                        events.append(.endOfFile)
                    } else {
                        state = .data(remaining: header.size, size: header.size)
                    }
                } else {
                    state = .closing
                }
            case .data(let remaining, let size):
                let taken = rest.prefix(Int(min(remaining, Int64(rest.count))))
                rest = rest.dropFirst(taken.count)
                events.append(.data(Array(taken)))
                let left = remaining - Int64(taken.count)
                if left > 0 {
                    state = .data(remaining: left, size: size)
                } else {
                    events.append(.endOfFile)
                    let padding = TarHeader.padding(after: size)
                    state = padding > 0 ? .padding(remaining: padding) : .header
                }
            case .padding(let remaining):
                let skipped = min(remaining, rest.count)
                rest = rest.dropFirst(skipped)
                state = remaining > skipped ? .padding(remaining: remaining - skipped) : .header
            case .finished:
                guard rest.allSatisfy({ $0 == 0 }) else { throw TarError.trailingData }
                rest = []
            }
        }
        return events
    }

    /// Checks that the stream ended where an archive ends.
    package func finish() throws(TarError) {
        guard isFinished else { throw TarError.truncated }
    }
}
