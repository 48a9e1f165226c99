import Foundation
import HoopCore
import Logging
import Witness

/// Takes each new checkpoint to the witnesses (docs/evidence.md §3): every HTTP witness gets it with the
/// consistency proof from the size it last cosigned, and its cosignature is stored on the checkpoint; every file
/// witness gets the note appended. When fewer than the quorum cosigned the newest checkpoint for longer than the
/// grace period, it audits `evidence.witness_unreachable` and, when the operator asked for fail-closed evidence,
/// refuses new sessions and tunnels until the quorum cosigns again.
actor WitnessCoordinator {
    private let config: WitnessConfig
    private let cosigners: [any CheckpointCosigner]
    private let store: any Store
    private let audit: AuditLog
    private let logger: Logger
    /// Read by the session and tunnel gates on every admission, so it lives outside the actor.
    let gate: EvidenceGate
    private var belowQuorumSince: Date?
    private var alerted = false
    private var filedSize: Int64 = -1

    init(
        config: WitnessConfig, cosigners: [any CheckpointCosigner], store: any Store, audit: AuditLog,
        gate: EvidenceGate, logger: Logger
    ) {
        self.config = config
        self.cosigners = cosigners
        self.store = store
        self.audit = audit
        self.gate = gate
        self.logger = logger
    }

    /// Offers the newest checkpoint to every witness that has not cosigned it, then judges the quorum.
    func submit(now: Date = Date()) async {
        guard !config.witnesses.isEmpty, let latest = try? await store.lastCheckpoint() else { return }
        fileCheckpoint(latest)
        guard !cosigners.isEmpty else { return }
        let witnessed = (try? await store.witnessedSizes()) ?? [:]
        var cosigned = 0
        for cosigner in cosigners {
            if witnessed[cosigner.key.name] == latest.checkpoint.size {
                cosigned += 1
            } else if await offer(latest, to: cosigner, oldSize: witnessed[cosigner.key.name] ?? 0) {
                cosigned += 1
            }
        }
        await judgeQuorum(cosigned: cosigned, size: latest.checkpoint.size, now: now)
    }

    /// One witness, one checkpoint: true when it cosigned. A 409 naming a size this log can prove consistency
    /// from is retried once from there (the witness's record survived a broker restore, say); a size larger than
    /// the log means the witness saw a longer log, which is audited as a conflict.
    private func offer(_ latest: StoredCheckpoint, to cosigner: any CheckpointCosigner, oldSize: Int64) async -> Bool {
        let size = latest.checkpoint.size
        var old = oldSize
        for attempt in 0..<2 {
            do {
                guard old <= size else {
                    await conflict(cosigner, witnessSize: old, size: size)
                    return false
                }
                let from = old
                let proof = try await store.withAuditTree { tree, _ in try tree.consistencyProof(from: from, to: size) }
                switch try await cosigner.cosign(oldSize: old, proof: proof, note: latest.note) {
                case .cosigned(let lines):
                    var note = latest.note
                    note.signatures += lines
                    guard (try? Cosignature.find(by: cosigner.key, on: note)) != nil else {
                        logger.error(
                            "witness returned no valid cosignature", metadata: ["witness": "\(cosigner.key.name)"])
                        return false
                    }
                    try await store.addCosignatures(cosigner.key.signatures(in: note), size: size)
                    return true
                case .conflict(let witnessSize):
                    if attempt == 0 && witnessSize != old && witnessSize <= size {
                        old = witnessSize
                        continue
                    }
                    await conflict(cosigner, witnessSize: witnessSize, size: size)
                    return false
                case .refused(let status, let reason):
                    logger.error(
                        "witness refused the checkpoint",
                        metadata: ["witness": "\(cosigner.key.name)", "status": "\(status)", "reason": "\(reason)"])
                    return false
                }
            } catch {
                logger.warning(
                    "witness unreachable", metadata: ["witness": "\(cosigner.key.name)", "error": "\(error)"])
                return false
            }
        }
        return false
    }

    private func conflict(_ cosigner: any CheckpointCosigner, witnessSize: Int64, size: Int64) async {
        logger.critical(
            "witness holds a log this one does not extend",
            metadata: ["witness": "\(cosigner.key.name)", "witness_size": "\(witnessSize)", "size": "\(size)"])
        _ = try? await audit.record(
            AuditDraft(
                actor: "broker", action: .witnessConflict, decision: .error,
                details: [
                    "witness": .string(cosigner.key.name), "witness_size": .int(witnessSize), "tree_size": .int(size),
                ]))
    }

    private func judgeQuorum(cosigned: Int, size: Int64, now: Date) async {
        if cosigned >= config.quorum {
            belowQuorumSince = nil
            gate.open()
            if alerted {
                alerted = false
                _ = try? await audit.record(
                    AuditDraft(
                        actor: "broker", action: .witnessRecovered, decision: .info,
                        details: ["tree_size": .int(size), "cosigned": .int(Int64(cosigned))]))
            }
            return
        }
        let since = belowQuorumSince ?? now
        belowQuorumSince = since
        guard now.timeIntervalSince(since) >= config.grace, !alerted else { return }
        alerted = true
        if config.failClosed {
            gate.close(reason: "the audit log's witnesses have not cosigned since \(Timestamp.format(since))")
        }
        _ = try? await audit.record(
            AuditDraft(
                actor: "broker", action: .witnessUnreachable, decision: .error,
                details: [
                    "tree_size": .int(size), "cosigned": .int(Int64(cosigned)), "quorum": .int(Int64(config.quorum)),
                    "since": .string(Timestamp.format(since)), "fail_closed": .bool(config.failClosed),
                ]))
    }

    /// Appends the newest checkpoint to every file witness, once per size.
    private func fileCheckpoint(_ latest: StoredCheckpoint) {
        guard latest.checkpoint.size > filedSize else { return }
        for case .file(let url) in config.witnesses {
            do {
                try CheckpointFile.append(latest.note, to: url)
            } catch {
                logger.error(
                    "cannot append to the checkpoint file", metadata: ["file": "\(url.path)", "error": "\(error)"])
                return
            }
        }
        filedSize = latest.checkpoint.size
    }
}
