import Foundation
import HoopCore

extension SessionManager {
    /// The deployment's brokers as the store knows them, with the sessions each owns: for auditors and admins, who
    /// answer "which broker handled this, and was it up?".
    func brokerStatus(for principal: Principal, now: Date = Date()) async throws(BrokerError) -> BrokerStatusReport {
        guard AccessPolicy.isAuditor(principal, config: config) else {
            throw BrokerError(
                .forbidden, code: "auditor_required",
                message: "\(principal.displayName) may not list the deployment's brokers",
                hint: "this needs membership in an auditor or admin group")
        }
        let brokers: [BrokerInstance]
        let active: [SessionRecord]
        do {
            brokers = try await store.brokers(limit: 200)
            active = try await store.activeSessions()
        } catch {
            throw .storeUnavailable(error, logger: logger)
        }
        var owned: [String: Int] = [:]
        for session in active {
            if let owner = session.owner { owned[owner, default: 0] += 1 }
        }
        return BrokerStatusReport(
            answeredBy: deployment.brokerID,
            brokers: brokers.map { broker in
                let state: BrokerState =
                    broker.stoppedAt != nil
                    ? .stopped : deployment.isAlive(broker, now: now) ? .running : .unresponsive
                return BrokerStatus(
                    id: broker.id, name: broker.name, version: broker.version, listen: broker.listen,
                    startedAt: broker.startedAt, lastSeen: broker.lastSeen, stoppedAt: broker.stoppedAt, state: state,
                    sessions: owned[broker.id] ?? 0)
            })
    }
}
