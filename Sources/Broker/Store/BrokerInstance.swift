package import Foundation

/// One broker process of a deployment, as it registered itself in the shared store: a new `id` for every start, so a
/// restarted broker and the run it replaced are told apart (and the old run's sessions can be closed as interrupted).
package struct BrokerInstance: Sendable, Equatable, Codable {
    /// `brk_` and 20 hex digits, new at every start.
    package var id: String
    /// The operator's name for the broker (config `broker_name`, else the host name).
    package var name: String
    package var version: String
    /// The address it serves on, as configured.
    package var listen: String
    package var startedAt: Date
    package var lastSeen: Date
    /// Set when it stopped cleanly; nil while it runs or after it died.
    package var stoppedAt: Date?

    package init(
        id: String, name: String, version: String, listen: String, startedAt: Date, lastSeen: Date,
        stoppedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.listen = listen
        self.startedAt = startedAt
        self.lastSeen = lastSeen
        self.stoppedAt = stoppedAt
    }
}
