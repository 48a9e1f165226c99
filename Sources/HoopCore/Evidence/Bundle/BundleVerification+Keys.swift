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
        let trusted = pinnedKey ?? bundleKey
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
        guard manifest.firstSeq >= 1, manifest.lastSeq >= manifest.firstSeq else {
            throw BundleProblem(
                BundleLayout.manifest, "sealed range seq \(manifest.firstSeq)...\(manifest.lastSeq) is empty")
        }
    }

    /// Every checkpoint lies in the exported range, in order, signed by the key in effect at its seq, and chained to
    /// the one before (so none was taken out). The first one anchors the export.
    mutating func checkCheckpoints(_ manifest: BundleManifest) throws(BundleProblem) {
        for (number, text) in JSONLines.split(file(BundleLayout.checkpoints)) {
            let checkpoint: Checkpoint
            do {
                checkpoint = try Checkpoint(jsonLine: text)
            } catch {
                throw BundleProblem("\(BundleLayout.checkpoints) line \(number)", "not a valid checkpoint (\(error))")
            }
            let seq = checkpoint.seq
            let subject = "checkpoint at seq \(seq)"
            if let prior = checkpoints.last, seq <= prior.seq {
                throw BundleProblem(
                    "\(BundleLayout.checkpoints) line \(number)",
                    "seq \(seq) is not after seq \(prior.seq) (reordered or repeated)", seq: seq)
            }
            guard seq >= manifest.firstSeq - 1, seq <= manifest.lastSeq else {
                throw BundleProblem(
                    subject, "outside the exported range seq \(manifest.firstSeq)...\(manifest.lastSeq)", seq: seq)
            }
            let epoch = epochs.lastIndex { $0.fromSeq <= seq } ?? 0
            guard epoch >= trustStart else {
                throw BundleProblem(
                    subject,
                    "signed by \(epochs[epoch].key), which was in effect before the trusted key "
                        + "(pin an earlier key to verify it)", seq: seq)
            }
            guard checkpoint.verify(publicKey: epochs[epoch].key) else {
                throw BundleProblem(subject, "signature invalid", seq: seq)
            }
            if let prior = checkpoints.last, checkpoint.previous != prior.seq {
                throw BundleProblem(
                    subject,
                    "was signed after the checkpoint at seq \(checkpoint.previous), but the bundle's previous "
                        + "checkpoint is at seq \(prior.seq) (checkpoint deleted)", seq: seq)
            }
            checkpoints.append(checkpoint)
            verified.checkpoints += 1
        }
        guard let first = checkpoints.first else {
            throw BundleProblem(BundleLayout.checkpoints, "holds no checkpoint, so nothing signed covers the events")
        }
        if manifest.firstSeq == 1 {
            guard first.previous == 0 else {
                throw BundleProblem(
                    "checkpoint at seq \(first.seq)",
                    "was signed after the checkpoint at seq \(first.previous), which is missing (deleted)",
                    seq: first.seq)
            }
        } else {
            let anchor = manifest.firstSeq - 1
            guard first.seq == anchor else {
                throw BundleProblem(
                    "checkpoint at seq \(anchor)", "missing, though the export starts right after it (deleted)",
                    seq: anchor)
            }
        }
    }
}
