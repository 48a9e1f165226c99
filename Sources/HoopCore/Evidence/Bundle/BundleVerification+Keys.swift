extension BundleVerification {
    /// Settles which key is trusted and walks the key rotations forward from it: each must be signed by the key it
    /// replaces. A pinned key may be the bundle's first key or one a rotation introduced; in the latter case only
    /// what was signed from that rotation on can be trusted.
    mutating func establishTrust() throws(BundleProblem) {
        let bundleKey: AuditPublicKey
        do {
            bundleKey = try AuditPublicKey(text: String(decoding: file(BundleLayout.pubkey), as: UTF8.self))
        } catch {
            throw BundleProblem(BundleLayout.pubkey, "not an audit key (\(error.reason))")
        }
        let trusted = trust.pinnedKey ?? bundleKey
        trustedKey = trusted
        try readRotations()
        epochs =
            [KeyEpoch(fromSeq: .min, key: bundleKey)]
            + rotations.map { KeyEpoch(fromSeq: $0.rotation.seq, key: $0.rotation.to) }
        if trusted == bundleKey {
            trustStart = 0
        } else if let index = rotations.firstIndex(where: { $0.rotation.to == trusted }) {
            trustStart = index + 1
        } else {
            throw BundleProblem(
                BundleLayout.pubkey,
                "the bundle's key \(bundleKey) is not the trusted key \(trusted), and no key rotation in the bundle "
                    + "leads to it (key replaced, or the bundle is from another broker)")
        }
        for index in rotations.indices.dropFirst(trustStart) {
            let (line, rotation) = rotations[index]
            let subject = "\(BundleLayout.rotations) line \(line) (seq \(rotation.seq))"
            let current = epochs[index].key
            guard rotation.from == current else {
                throw BundleProblem(
                    subject, "hands over from \(rotation.from), but the key in effect is \(current)", seq: rotation.seq)
            }
            guard rotation.isSignatureValid else {
                throw BundleProblem(subject, "signature invalid (rotation edited or forged)", seq: rotation.seq)
            }
            verified.rotations += 1
        }
    }

    private mutating func readRotations() throws(BundleProblem) {
        for (number, text) in JSONLines.split(file(BundleLayout.rotations)) {
            let rotation: KeyRotation
            do {
                rotation = try KeyRotation(jsonLine: text)
            } catch {
                throw BundleProblem("\(BundleLayout.rotations) line \(number)", "not a valid key rotation (\(error))")
            }
            let subject = "\(BundleLayout.rotations) line \(number) (seq \(rotation.seq))"
            if let prior = rotations.last?.rotation, rotation.seq <= prior.seq {
                throw BundleProblem(
                    subject, "not after the rotation at seq \(prior.seq) (reordered or repeated)", seq: rotation.seq)
            }
            guard rotation.afterSeq < rotation.seq else {
                throw BundleProblem(
                    subject, "signed after seq \(rotation.afterSeq), which is not before the rotation itself",
                    seq: rotation.seq)
            }
            rotations.append((number, rotation))
        }
    }

    /// Keys the trusted key vouches for, which may sign the manifest and tombstones.
    var trustedSigners: Set<AuditPublicKey> {
        Set(epochs.dropFirst(trustStart).map(\.key))
    }

    /// The manifest's seal is by a trusted key and valid, so its range can be relied on.
    func checkSeal(_ manifest: BundleManifest) throws(BundleProblem) {
        guard trustedSigners.contains(manifest.signedBy) else {
            throw BundleProblem(
                BundleLayout.manifest, "sealed by \(manifest.signedBy), which is not a trusted audit key")
        }
        guard manifest.isSealValid else {
            throw BundleProblem(
                BundleLayout.manifest, "seal signature invalid (the export's range, time or filters were edited)")
        }
        guard manifest.firstSeq >= 1, manifest.treeSize >= manifest.firstSeq else {
            throw BundleProblem(
                BundleLayout.manifest, "sealed range seq \(manifest.firstSeq)...\(manifest.treeSize) is empty")
        }
    }

    /// `checkpoint.note` is a checkpoint of the manifest's origin, size and root, signed by the audit key in effect
    /// at its size.
    mutating func checkCheckpoint(_ manifest: BundleManifest) throws(BundleProblem) {
        let subject = BundleLayout.checkpoint
        let checkpoint = try readCheckpoint(BundleLayout.checkpoint)
        guard checkpoint.origin == manifest.origin else {
            throw BundleProblem(
                subject, "is a checkpoint of \(checkpoint.origin), the export is of \(manifest.origin) (another log)")
        }
        guard checkpoint.size == manifest.treeSize, checkpoint.root.hex == manifest.root else {
            throw BundleProblem(
                subject,
                "is size \(checkpoint.size) root \(checkpoint.root.hex), but the export was sealed at size "
                    + "\(manifest.treeSize) root \(manifest.root) (checkpoint replaced or replayed)",
                seq: checkpoint.size)
        }
        self.checkpoint = checkpoint
        verified.checkpoints += 1
    }

    /// A note file of the bundle read as a checkpoint signed by the audit key in effect at its size, which the
    /// trusted key must vouch for.
    func readCheckpoint(_ path: String) throws(BundleProblem) -> TreeCheckpoint {
        let note: SignedNote
        let body: TreeCheckpoint
        do {
            note = try SignedNote(parsing: String(decoding: file(path), as: UTF8.self))
            body = try TreeCheckpoint(body: note.text)
        } catch {
            throw BundleProblem(path, "not a checkpoint note (\(error.reason))")
        }
        return try verifiedCheckpoint(note, body: body, subject: path)
    }

    /// `note` carries a valid signature by the audit key in effect at its size.
    func verifiedCheckpoint(_ note: SignedNote, body: TreeCheckpoint, subject: String) throws(BundleProblem)
        -> TreeCheckpoint
    {
        let epoch = keyEpoch(forSize: body.size)
        guard epoch >= trustStart else {
            throw BundleProblem(
                subject,
                "signed by \(epochs[epoch].key), which was in effect before the trusted key "
                    + "(pin an earlier key to verify it)", seq: body.size)
        }
        do {
            return try LogCheckpoint(note: note, logKey: epochs[epoch].key).checkpoint
        } catch {
            throw BundleProblem(subject, "\(error.reason) (forged, or signed by another key)", seq: body.size)
        }
    }
}
