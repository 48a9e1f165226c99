/// A piece of evidence (a key, a checkpoint, a line of a bundle file) is not in the documented format. `reason` reads
/// as the tail of a sentence so callers can prefix where the text came from.
package struct EvidenceFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    package var reason: String

    package init(_ reason: String) {
        self.reason = reason
    }

    package var description: String { reason }
}
