package import Foundation

/// `GET /v1/brokers`: every broker process of the deployment the store remembers, newest start first.
package struct BrokerStatusReport: Codable, Sendable, Equatable {
    /// The broker that answered.
    package var answeredBy: String
    package var brokers: [BrokerStatus]

    package init(answeredBy: String, brokers: [BrokerStatus]) {
        self.answeredBy = answeredBy
        self.brokers = brokers
    }
}

/// One broker process and what its heartbeat says of it.
package struct BrokerStatus: Codable, Sendable, Equatable {
    package var id: String
    package var name: String
    package var version: String
    package var listen: String
    package var startedAt: Date
    package var lastSeen: Date
    package var stoppedAt: Date?
    package var state: BrokerState
    /// Active sessions it owns now.
    package var sessions: Int

    package init(
        id: String, name: String, version: String, listen: String, startedAt: Date, lastSeen: Date,
        stoppedAt: Date?, state: BrokerState, sessions: Int
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.listen = listen
        self.startedAt = startedAt
        self.lastSeen = lastSeen
        self.stoppedAt = stoppedAt
        self.state = state
        self.sessions = sessions
    }
}

/// What a broker's row says about it.
package enum BrokerState: String, Codable, Sendable {
    /// Its heartbeat is fresh.
    case running
    /// It stopped cleanly.
    case stopped
    /// Its heartbeat stopped without a clean stop: killed, hung, or its host lost. Its sessions were taken over.
    case unresponsive
}
