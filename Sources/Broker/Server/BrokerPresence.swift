import Foundation
import HoopCore
import Logging
import ServiceLifecycle

/// Keeps this broker's row in the store fresh, so the other brokers of the deployment (and `hoopctl broker status`)
/// know it is alive; a broker that stops beating is presumed dead and its sessions are taken over.
struct BrokerPresence: Service {
    let store: any Store
    let deployment: BrokerDeployment
    let logger: Logger

    /// Writes the row of a starting broker; done before it looks for other brokers' orphaned sessions, so it never
    /// counts itself among the dead.
    static func register(_ deployment: BrokerDeployment, listen: String, store: any Store, now: Date = Date())
        async throws
    {
        try await store.registerBroker(
            BrokerInstance(
                id: deployment.brokerID, name: deployment.name, version: BuildInfo.version, listen: listen,
                startedAt: now, lastSeen: now))
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: .seconds(deployment.heartbeatInterval))
            do {
                try await store.heartbeat(brokerID: deployment.brokerID, at: Date())
            } catch {
                logger.error("cannot write the broker's heartbeat", metadata: ["error": "\(error)"])
            }
        }
    }
}
