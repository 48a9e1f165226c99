/// A piece of evidence (a key, a checkpoint, a line of a bundle file) is not in the documented format. `reason` reads
/// as the tail of a sentence so callers can prefix where the text came from.
public struct EvidenceFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
