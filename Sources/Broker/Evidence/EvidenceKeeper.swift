import ServiceLifecycle

/// The background half of evidence: signs checkpoints when due (checked every second), offers them to the
/// witnesses, and applies the recording retention policy (every minute).
struct EvidenceKeeper: Service {
    let checkpointer: AuditCheckpointer
    let witnesses: WitnessCoordinator
    let evidence: EvidenceService

    func run() async throws {
        var tick = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            _ = try? await checkpointer.checkpoint()
            await witnesses.submit()
            if tick % 60 == 0 { await evidence.pruneExpiredRecordings() }
            tick += 1
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
