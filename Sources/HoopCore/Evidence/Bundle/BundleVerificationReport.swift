/// The outcome of verifying a bundle: either every check passed, or the first problem. Either way it says which key
/// was trusted and how it was chosen, because a bundle checked against its own `pubkey` file proves only that it is
/// consistent, not that the broker wrote it; and whether witnesses vouch that the log only grew.
package struct BundleVerificationReport: Sendable, Equatable, Encodable {
    package enum TrustSource: String, Sendable, Equatable, Encodable {
        /// The auditor supplied the key (`--pubkey`).
        case pinned
        /// Taken from the bundle's own `pubkey` file.
        case bundle
    }

    /// What backs the log's completeness beyond the broker's own signature.
    package enum Anchoring: String, Sendable, Equatable, Encodable {
        /// Enough trusted witnesses cosigned a head covering every event.
        case witnessed
        /// No trusted witness, too few, or events newer than every cosigned head.
        case unanchored
    }

    package var ok: Bool
    package var problem: BundleProblem?
    /// The key every signature was checked against, in `ed25519:<base64>` form (nil when none could be read).
    package var trustedKey: String?
    package var trustSource: TrustSource
    package var origin: String?
    package var firstSeq: Int64?
    package var treeSize: Int64?
    /// The signed root, hex.
    package var root: String?
    package var anchoring: Anchoring
    /// The newest cosigned size and who cosigned it.
    package var witnessedSize: Int64
    package var witnesses: [WitnessCosignature]
    /// Checkpoints from earlier audits this bundle was shown to extend.
    package var previousChecked: Int
    /// The newest size a checkpoint file holds beyond this bundle, if any.
    package var newerShipped: Int64?
    /// What was verified before the first problem (everything, when `ok`).
    package var verified: BundleCounts

    enum CodingKeys: String, CodingKey {
        case ok
        case problem
        case trustedKey = "trusted_key"
        case trustSource = "trust_source"
        case origin
        case firstSeq = "first_seq"
        case treeSize = "tree_size"
        case root
        case anchoring = "status"
        case witnessedSize = "witnessed_size"
        case witnesses
        case previousChecked = "previous_checked"
        case newerShipped = "newer_shipped_size"
        case verified
    }

    init(_ verification: BundleVerification, problem: BundleProblem?) {
        ok = problem == nil
        self.problem = problem
        trustedKey = verification.trustedKey?.text
        trustSource = verification.trust.pinnedKey == nil ? .bundle : .pinned
        origin = verification.manifest?.origin
        firstSeq = verification.manifest?.firstSeq
        treeSize = verification.manifest?.treeSize
        root = verification.checkpoint?.root.hex
        let required = verification.trust.minWitnesses ?? 1
        anchoring =
            ok && verification.isWitnessed(required: required, treeSize: treeSize ?? 0) ? .witnessed : .unanchored
        witnessedSize = verification.witnesses.size
        witnesses = verification.witnesses.cosigners
        previousChecked = verification.previousChecked
        newerShipped = verification.newerShipped
        verified = verification.verified
    }

    /// Human-readable lines for `audit verify`'s text output.
    package var summaryLines: [String] {
        var lines: [String] = []
        if let problem {
            lines.append("bundle NOT verified: \(problem)")
        } else {
            let range = firstSeq.flatMap { first in treeSize.map { "seq \(first)...\($0)" } } ?? "no events"
            lines.append(
                "bundle verified: \(origin ?? "?") \(range), tree size \(treeSize ?? 0) root \(root ?? "?"); "
                    + "\(verified.events) events and \(verified.stubs) redacted stubs, "
                    + "\(verified.rotations) key rotations, \(verified.recordings) recordings, "
                    + "\(verified.tombstones) tombstones")
            switch anchoring {
            case .witnessed:
                let names = witnesses.map { "\($0.name) at \($0.timestamp)" }.joined(separator: ", ")
                lines.append("witnessed: size \(witnessedSize) cosigned by \(names)")
            case .unanchored:
                lines.append(
                    witnesses.isEmpty
                        ? "unanchored: no trusted witness cosigned this log (pass --witness-key)"
                        : "unanchored: witnesses cosigned only up to size \(witnessedSize); events after it rest on "
                            + "the broker's signature alone")
            }
            if previousChecked > 0 {
                lines.append("extends \(previousChecked) earlier checkpoint(s): nothing was removed since")
            }
            if let newerShipped {
                lines.append(
                    "the checkpoint file holds a newer head (size \(newerShipped)) than this bundle "
                        + "(\(treeSize ?? 0)): export again to cover it")
            }
        }
        switch trustSource {
        case .pinned:
            lines.append("trusted key: \(trustedKey ?? "none") (pinned by the auditor)")
        case .bundle:
            lines.append(
                "trusted key: \(trustedKey ?? "none") (the bundle's own pubkey file: pin the broker's published key "
                    + "with --pubkey to rely on nothing inside the bundle)")
        }
        return lines
    }
}
