/// Verifies an evidence bundle offline, trusting nothing but the broker's audit public key and the witnesses' keys,
/// and reports the first problem precisely (docs/evidence.md §5).
///
/// The checks run in an order where each one can rely on the ones before: the manifest lists what is there; the
/// trusted key and the key rotations that follow from it; the manifest's seal; the checkpoint's signature; every
/// event line (content against leaf hash, seqs without gap); the tree's root computed from the prefix and the
/// leaves against the signed root; the witnesses' cosignatures; the rotations against their events; approvals
/// against what was spent; every recording a shown `session.close` sealed; the file digests; and last, older
/// evidence the auditor kept, which this bundle must extend.
package enum BundleVerifier {
    package static func verify(_ bundle: EvidenceBundle, trust: BundleTrust = BundleTrust())
        -> BundleVerificationReport
    {
        var verification = BundleVerification(bundle: bundle, trust: trust)
        var problem: BundleProblem?
        do {
            try verification.run()
        } catch {
            problem = error
        }
        return BundleVerificationReport(verification, problem: problem)
    }
}

/// What the auditor brings to a verification: the keys they trust and the evidence they kept from before.
package struct BundleTrust: Sendable {
    /// The broker's published audit key (`--pubkey`). Without it the bundle's own `pubkey` file is trusted, and
    /// the report says so.
    package var pinnedKey: AuditPublicKey?
    /// Witnesses whose cosignatures count (`--witness-key`).
    package var witnessKeys: [NoteVerifierKey]
    /// How many of them must have cosigned a head covering every event; nil reports without requiring.
    package var minWitnesses: Int?
    /// Checkpoints from earlier audits (`--previous`); the bundle must be a consistent extension of each one signed
    /// by a trusted key.
    package var previous: [PreviousCheckpoint]

    package init(
        pinnedKey: AuditPublicKey? = nil,
        witnessKeys: [NoteVerifierKey] = [],
        minWitnesses: Int? = nil,
        previous: [PreviousCheckpoint] = []
    ) {
        self.pinnedKey = pinnedKey
        self.witnessKeys = witnessKeys
        self.minWitnesses = minWitnesses
        self.previous = previous
    }
}

/// A checkpoint an auditor kept, and where from: an older bundle was exported before this one, so it can never be
/// larger; a file witness keeps receiving checkpoints after an export, so its newer ones are reported, not judged.
package struct PreviousCheckpoint: Sendable, Equatable {
    package enum Source: Sendable, Equatable {
        case bundle
        case checkpointFile
    }

    package var note: SignedNote
    package var source: Source

    package init(_ note: SignedNote, from source: Source) {
        self.note = note
        self.source = source
    }
}

/// One verification run: the facts established so far, which later checks build on.
struct BundleVerification {
    let bundle: EvidenceBundle
    let trust: BundleTrust
    var verified = BundleCounts()
    var manifest: BundleManifest?
    var trustedKey: AuditPublicKey?
    /// The audit key in effect from each seq on: the bundle's first key, then one per rotation.
    var epochs: [KeyEpoch] = []
    /// The first epoch the trusted key vouches for.
    var trustStart = 0
    var rotations: [(line: Int, rotation: KeyRotation)] = []
    var checkpoint: TreeCheckpoint?
    /// The prefix and every leaf hash, once the events are read.
    var tree: PartialMerkleTree?
    /// Leaf hashes of the shown events and stubs, in seq order from `firstSeq`.
    var leaves: [TreeHash] = []
    /// Key rotation events shown in the export, by seq, with their line in `events.jsonl`.
    var rotationEvents: [Int64: (line: Int, event: AuditEvent)] = [:]
    /// Approval events shown, in order.
    var approvalEvents: [AuditEvent] = []
    /// Broker starts and session grants shown, in order: the policies loaded and the policies sessions ran under.
    var policyEvents: [AuditEvent] = []
    var sealedRecordings: [SealedRecording] = []
    var witnesses = WitnessFindings()
    var previousChecked = 0
    /// The largest size in a checkpoint file beyond this bundle's, when there is one.
    var newerShipped: Int64?

    struct KeyEpoch {
        var fromSeq: Int64
        var key: AuditPublicKey
    }

    init(bundle: EvidenceBundle, trust: BundleTrust) {
        self.bundle = bundle
        self.trust = trust
    }

    mutating func run() throws(BundleProblem) {
        let manifest = try checkManifest()
        self.manifest = manifest
        try establishTrust()
        try checkSeal(manifest)
        try checkCheckpoint(manifest)
        try checkEvents(manifest)
        try checkTree(manifest)
        try checkWitnesses(manifest)
        try checkRotationEvents(manifest)
        try checkApprovals()
        try checkPolicies()
        try checkRecordings()
        try checkFileDigests(manifest)
        try checkPrevious()
    }

    /// The manifest parses and lists the required files, which are present; nothing unlisted was added.
    private func checkManifest() throws(BundleProblem) -> BundleManifest {
        guard let bytes = bundle.files[BundleLayout.manifest] else {
            throw BundleProblem(BundleLayout.manifest, "missing (not an evidence bundle)")
        }
        let manifest: BundleManifest
        do {
            manifest = try BundleManifest(json: bytes)
        } catch {
            throw BundleProblem(BundleLayout.manifest, error.reason)
        }
        for path in BundleLayout.required where manifest.files[path] == nil {
            throw BundleProblem("manifest", "does not list \(path)")
        }
        for path in manifest.files.keys.sorted() where bundle.files[path] == nil {
            throw BundleProblem("manifest", "\(path) is missing")
        }
        for path in bundle.files.keys.sorted() where path != BundleLayout.manifest && manifest.files[path] == nil {
            throw BundleProblem("manifest", "\(path) is not listed (added after export)")
        }
        return manifest
    }

    /// Every file matches its digest. Checked late, so an edit the tree checks can locate is reported where it
    /// is; this catches what they cannot see (an edit that changes no verified content).
    private func checkFileDigests(_ manifest: BundleManifest) throws(BundleProblem) {
        for (path, digest) in manifest.files.sorted(by: { $0.key < $1.key })
        where BundleManifest.digest(file(path)) != digest {
            throw BundleProblem("manifest", "\(path) digest mismatch")
        }
    }

    /// The bytes of a file the manifest check has already found present.
    func file(_ path: String) -> [UInt8] {
        bundle.files[path] ?? []
    }

    /// The audit key that signs checkpoints of `size`: the newest rotation at or before it decides.
    func keyEpoch(forSize size: Int64) -> Int {
        epochs.lastIndex { $0.fromSeq <= size } ?? 0
    }
}
