/// One trusted witness's valid cosignature on a checkpoint, as a bundle report or a proof check shows it.
package struct WitnessCosignature: Sendable, Equatable, Encodable {
    package var name: String
    /// Seconds since the epoch, as the witness stated it.
    package var timestamp: UInt64

    package init(name: String, timestamp: UInt64) {
        self.name = name
        self.timestamp = timestamp
    }
}
