import Crypto
package import Foundation
import HoopCore

/// This broker's place in its deployment. On the embedded store it is the only broker, and a restart closes what
/// the previous run left open. On a shared store several brokers serve the same sessions: each registers with a new
/// id at start and keeps a heartbeat, a session belongs to the broker that granted it until that broker is presumed
/// dead, and another broker then takes it over instead of closing it, so clients carry on with their grants.
package struct BrokerDeployment: Sendable {
    /// `brk_` and 20 hex digits, new at every start.
    package var brokerID: String
    /// The operator's name for this broker (`broker_name`, else the host name).
    package var name: String
    /// Several brokers share the store.
    package var shared: Bool
    /// How often this broker tells the store it is alive.
    package var heartbeatInterval: TimeInterval
    /// A broker whose last heartbeat is older than this is presumed dead, and its sessions are taken over. Several
    /// missed heartbeats, so a broker that is only slow for a moment keeps its sessions.
    package var deadAfter: TimeInterval

    package init(
        brokerID: String = BrokerDeployment.newBrokerID(), name: String, shared: Bool,
        heartbeatInterval: TimeInterval = 2, deadAfter: TimeInterval = 15
    ) {
        self.brokerID = brokerID
        self.name = name
        self.shared = shared
        self.heartbeatInterval = heartbeatInterval
        self.deadAfter = deadAfter
    }

    /// The embedded single broker.
    package static func single() -> BrokerDeployment {
        BrokerDeployment(name: ProcessInfo.processInfo.hostName, shared: false)
    }

    package static func newBrokerID() -> String {
        "brk_" + SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }.hexString.prefix(20)
    }

    /// The recording segment this broker writes for a session it did not grant: `<session>.<broker id>`, beside the
    /// granting broker's `<session>`.
    func segmentName(session: String) -> String {
        "\(session).\(brokerID)"
    }

    /// Whether `broker` (a row of the store's broker list) still counts as running at `now`.
    func isAlive(_ broker: BrokerInstance, now: Date) -> Bool {
        broker.stoppedAt == nil && now.timeIntervalSince(broker.lastSeen) < deadAfter
    }

    /// The ids of the brokers in `brokers` that still count as running at `now`.
    func alive(among brokers: [BrokerInstance], now: Date) -> Set<String> {
        Set(brokers.filter { isAlive($0, now: now) }.map(\.id))
    }
}
