/// The outcome of verifying a bundle: either every check passed, or the first problem. Either way it says which key
/// was trusted and how it was chosen, because a bundle checked against its own `pubkey` file proves only that it is
/// consistent, not that the broker wrote it.
package struct BundleVerificationReport: Sendable, Equatable, Encodable {
    package enum TrustSource: String, Sendable, Equatable, Encodable {
        /// The auditor supplied the key (`--pubkey`).
        case pinned
        /// Taken from the bundle's own `pubkey` file.
        case bundle
    }

    package var ok: Bool
    package var problem: BundleProblem?
    /// The key every signature was checked against, in `ed25519:<base64>` form (nil when none could be read).
    package var trustedKey: String?
    package var trustSource: TrustSource
    /// The exported range, from the sealed manifest.
    package var firstSeq: Int64?
    package var lastSeq: Int64?
    /// What was verified before the first problem (everything, when `ok`).
    package var verified: BundleCounts

    enum CodingKeys: String, CodingKey {
        case ok
        case problem
        case trustedKey = "trusted_key"
        case trustSource = "trust_source"
        case firstSeq = "first_seq"
        case lastSeq = "last_seq"
        case verified
    }

    /// Human-readable lines for `audit verify`'s text output.
    package var summaryLines: [String] {
        var lines: [String] = []
        if let problem {
            lines.append("bundle NOT verified: \(problem)")
        } else {
            let range = firstSeq.flatMap { first in lastSeq.map { "seq \(first)...\($0)" } } ?? "no events"
            lines.append(
                "bundle verified: \(range), \(verified.events) events and \(verified.stubs) redacted stubs, "
                    + "\(verified.checkpoints) checkpoints, \(verified.rotations) key rotations, "
                    + "\(verified.recordings) recordings, \(verified.tombstones) tombstones")
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
