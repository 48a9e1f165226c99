/// What the witnesses vouch for in one bundle.
struct WitnessFindings: Sendable, Equatable {
    /// The size of the newest checkpoint any trusted witness cosigned (0 when none did).
    var size: Int64 = 0
    /// The trusted witnesses that cosigned it, with their timestamps.
    var cosigners: [WitnessCosignature] = []
}

extension BundleVerification {
    /// Reads the cosignatures of the witnesses the auditor trusts, on `checkpoint.note` or on `witnessed.note` (an
    /// older head whose root this bundle must reproduce). A witnessed head larger than the log, or one whose root
    /// the bundle's leaves do not give, means the log was cut back or rewritten after the witnesses saw it.
    mutating func checkWitnesses(_ manifest: BundleManifest) throws(BundleProblem) {
        guard let checkpoint, let tree else { return }
        var cosigned = try cosignatures(on: BundleLayout.checkpoint)
        var size = checkpoint.size
        if bundle.files[BundleLayout.witnessed] != nil {
            let older = try readCheckpoint(BundleLayout.witnessed)
            let subject = BundleLayout.witnessed
            guard older.origin == checkpoint.origin else {
                throw BundleProblem(subject, "is a checkpoint of \(older.origin), not of \(checkpoint.origin)")
            }
            guard older.size <= checkpoint.size else {
                throw BundleProblem(
                    subject,
                    "witnesses cosigned size \(older.size), but the log now ends at \(checkpoint.size) "
                        + "(events were deleted after the witnesses saw them)", seq: older.size)
            }
            guard older.size >= tree.firstLeaf else {
                throw BundleProblem(
                    subject, "size \(older.size) is before the first exported event (\(tree.firstLeaf + 1))",
                    seq: older.size)
            }
            guard (try? tree.rootHash(size: older.size)) == older.root else {
                throw BundleProblem(
                    subject,
                    "witnesses cosigned root \(older.root.hex) at size \(older.size), but this log's events give "
                        + "another (the log was rewritten or forked after the witnesses saw it)", seq: older.size)
            }
            verified.checkpoints += 1
            if cosigned.isEmpty {
                cosigned = try cosignatures(on: BundleLayout.witnessed)
                size = older.size
            }
        }
        witnesses = cosigned.isEmpty ? WitnessFindings() : WitnessFindings(size: size, cosigners: cosigned)
        if let required = trust.minWitnesses, !isWitnessed(required: required, treeSize: manifest.treeSize) {
            throw BundleProblem(
                "witnesses", unanchoredReason(required: required, treeSize: manifest.treeSize),
                seq: witnesses.size + 1)
        }
    }

    /// True when at least `required` trusted witnesses cosigned a head covering every event.
    func isWitnessed(required: Int, treeSize: Int64) -> Bool {
        witnesses.cosigners.count >= max(required, 1) && witnesses.size >= treeSize
    }

    func unanchoredReason(required: Int, treeSize: Int64) -> String {
        if witnesses.cosigners.count < max(required, 1) {
            return "\(witnesses.cosigners.count) of the trusted witnesses cosigned, \(max(required, 1)) required "
                + "(unanchored: nothing independent of the broker vouches that the log only grew)"
        }
        return "events seq \(witnesses.size + 1)...\(treeSize) are newer than every cosigned head (unanchored)"
    }

    private func cosignatures(on path: String) throws(BundleProblem) -> [WitnessCosignature] {
        guard !trust.witnessKeys.isEmpty else { return [] }
        let note: SignedNote
        do {
            note = try SignedNote(parsing: String(decoding: file(path), as: UTF8.self))
        } catch {
            throw BundleProblem(path, "not a note (\(error.reason))")
        }
        do {
            return try Cosignature.cosigners(of: note, among: trust.witnessKeys)
        } catch {
            throw BundleProblem(path, "\(error.reason) (forged, or moved from another checkpoint)")
        }
    }
}
