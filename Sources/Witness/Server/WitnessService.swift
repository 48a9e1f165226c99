package import Foundation
import HoopCore
package import Logging

/// The witness's one operation, add-checkpoint, from request bytes to outcome: parse, find a trusted log signature,
/// judge and record against the store in one transaction, then cosign. It knows nothing of HTTP, so the attack
/// tests drive it directly and the server only maps outcomes to responses.
package struct WitnessService: Sendable {
    package let identity: WitnessIdentity
    package let logs: TrustedLogs
    package let store: WitnessStore
    private let logger: Logger
    private let now: @Sendable () -> Date

    package init(
        identity: WitnessIdentity, logs: TrustedLogs, store: WitnessStore,
        logger: Logger = .silentWitness, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.identity = identity
        self.logs = logs
        self.store = store
        self.logger = logger
        self.now = now
    }

    /// Throws only when the store cannot be read or written: the witness then answers 500 and has recorded nothing.
    package func addCheckpoint(body: some Collection<UInt8>) async throws -> AddCheckpointOutcome {
        let request: AddCheckpointRequest
        do throws(EvidenceFormatError) {
            request = try AddCheckpointRequest(body: body)
        } catch {
            return .refused(.malformed(error.reason))
        }
        let log: LogCheckpoint
        do throws(AddCheckpointRefusal) {
            log = try logs.verify(request.note)
        } catch {
            return .refused(error)
        }
        let submission = VerifiedSubmission(oldSize: request.oldSize, proof: request.proof, log: log)
        let time = now()
        let settlement = try await store.settle(submission, at: time)
        if let reason = settlement.refusal {
            let refusal = AddCheckpointRefusal.judged(reason, submission, previous: settlement.previous)
            logger.notice(
                "refused a signed checkpoint",
                metadata: [
                    "origin": "\(log.checkpoint.origin)", "size": "\(log.checkpoint.size)", "old": "\(request.oldSize)",
                    "reason": "\(reason.rawValue)", "cosigned_size": "\(settlement.previous.size)",
                ])
            return .refused(refusal)
        }
        logger.info(
            "cosigned", metadata: ["origin": "\(log.checkpoint.origin)", "size": "\(log.checkpoint.size)"])
        return .cosigned(try identity.cosign(log.checkpoint, at: time))
    }
}
