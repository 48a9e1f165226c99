/// Verifies an evidence bundle offline, trusting nothing but one audit public key, and reports the first problem
/// precisely (DESIGN.md §4).
///
/// The checks run in an order where each one can rely on the ones before: the manifest's file digests; the trusted
/// key and the key rotations that follow from it; the manifest's seal (which fixes the exported range); every
/// checkpoint's signature and their sequence; the audit events link by link from the anchor checkpoint, each
/// checkpoint's hash against the event at its seq, and the end of the events against the last checkpoint and the
/// sealed range; the rotations against their audit events; and finally every recording a shown `session.close`
/// event sealed, or the tombstone that stands in for it.
package enum BundleVerifier {
    /// - Parameter pinnedKey: the broker's published audit key (`--pubkey`). Without it the bundle's own `pubkey`
    ///   file is trusted, and the report says so.
    package static func verify(_ bundle: EvidenceBundle, pinnedKey: AuditPublicKey? = nil) -> BundleVerificationReport {
        var verification = BundleVerification(bundle: bundle, pinnedKey: pinnedKey)
        var problem: BundleProblem?
        do {
            try verification.run()
        } catch {
            problem = error
        }
        return BundleVerificationReport(
            ok: problem == nil,
            problem: problem,
            trustedKey: verification.trustedKey?.text,
            trustSource: pinnedKey == nil ? .bundle : .pinned,
            firstSeq: verification.manifest?.firstSeq,
            lastSeq: verification.manifest?.lastSeq,
            verified: verification.verified
        )
    }
}

/// One verification run: the facts established so far, which later checks build on.
struct BundleVerification {
    let bundle: EvidenceBundle
    let pinnedKey: AuditPublicKey?
    var verified = BundleCounts()
    var manifest: BundleManifest?
    var trustedKey: AuditPublicKey?
    /// The audit key in effect from each seq on: the bundle's first key, then one per rotation.
    var epochs: [KeyEpoch] = []
    /// The first epoch the trusted key vouches for.
    var trustStart = 0
    var rotations: [(line: Int, rotation: KeyRotation)] = []
    var checkpoints: [Checkpoint] = []
    /// Every exported event's hash by seq (stubs included), plus the anchor's.
    var hashes: [Int64: String] = [:]
    /// Key rotation events shown in the export, by seq, with their line in `events.jsonl`.
    var rotationEvents: [Int64: (line: Int, event: AuditEvent)] = [:]
    var sealedRecordings: [SealedRecording] = []

    struct KeyEpoch {
        var fromSeq: Int64
        var key: AuditPublicKey
    }

    init(bundle: EvidenceBundle, pinnedKey: AuditPublicKey?) {
        self.bundle = bundle
        self.pinnedKey = pinnedKey
    }

    mutating func run() throws(BundleProblem) {
        let manifest = try checkManifest()
        self.manifest = manifest
        try establishTrust()
        try checkSeal(manifest)
        try checkCheckpoints(manifest)
        try checkEvents(manifest)
        try checkRotationEvents(manifest)
        try checkRecordings()
        try checkFileDigests(manifest)
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

    /// Every file matches its digest. Checked last, so an edit the chain checks can locate is reported at its
    /// broken link; this catches what they cannot see (an edit that changes no verified content).
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
}
