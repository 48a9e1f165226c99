extension BundleVerification {
    /// Reads `events.jsonl`: seq by seq from `firstSeq` to the checkpoint's size, each full event matching its
    /// leaf hash, each stub at least well formed. The leaf hashes are kept for the tree check.
    mutating func checkEvents(_ manifest: BundleManifest) throws(BundleProblem) {
        var expected = manifest.firstSeq
        for (number, text) in JSONLines.split(file(BundleLayout.events)) {
            let leaf = try readEvent(number: number, text: text)
            let subject = "\(BundleLayout.events) line \(number) (seq \(leaf.seq))"
            if leaf.seq > expected {
                throw BundleProblem(subject, "seq \(expected) missing (deleted or reordered)", seq: leaf.seq)
            }
            if leaf.seq < expected {
                throw BundleProblem(
                    subject,
                    "seq \(leaf.seq) repeated or out of order where seq \(expected) belongs "
                        + "(inserted or reordered)", seq: leaf.seq)
            }
            guard let hash = TreeHash(hex: leaf.hash) else {
                throw BundleProblem(subject, "the leaf hash is not 64 lowercase hex digits", seq: leaf.seq)
            }
            if let event = leaf.event {
                guard event.isIntact else {
                    throw BundleProblem(subject, "content does not match its leaf hash (edited)", seq: leaf.seq)
                }
                verified.events += 1
                if event.kind == .auditKeyRotated { rotationEvents[event.seq] = (number, event) }
                if event.kind.isApproval { approvalEvents.append(event) }
                if event.kind == .brokerStart || event.kind == .sessionGrant { policyEvents.append(event) }
                if let recording = SealedRecording(event) { sealedRecordings.append(recording) }
            } else {
                verified.stubs += 1
            }
            leaves.append(hash)
            expected += 1
        }
        let last = expected - 1
        if last < manifest.treeSize {
            throw BundleProblem(
                BundleLayout.events,
                "events end at seq \(last) but the checkpoint covers seq \(manifest.treeSize) (truncated)", seq: last)
        }
        if last > manifest.treeSize {
            throw BundleProblem(
                BundleLayout.events,
                "events run past seq \(manifest.treeSize), where the checkpoint ends (appended)", seq: last)
        }
    }

    /// The prefix is exactly the compact range before the first event, and with the leaves it gives the signed
    /// root. Nothing else can: a leaf deleted, inserted, reordered or edited with its hash recomputed changes it.
    mutating func checkTree(_ manifest: BundleManifest) throws(BundleProblem) {
        var prefix: [(NodeID, TreeHash)] = []
        for (number, text) in JSONLines.split(file(BundleLayout.prefix)) {
            do {
                prefix.append(try PrefixLine.parse(text))
            } catch {
                throw BundleProblem("\(BundleLayout.prefix) line \(number)", "not a subtree (\(error.reason))")
            }
        }
        let tree: PartialMerkleTree
        do {
            tree = try PartialMerkleTree(prefix: prefix, firstLeaf: manifest.firstSeq - 1, leaves: leaves)
        } catch {
            throw BundleProblem(BundleLayout.prefix, "\(error) (leaves before seq \(manifest.firstSeq) altered)")
        }
        guard let checkpoint, (try? tree.rootHash(size: checkpoint.size)) == checkpoint.root else {
            throw BundleProblem(
                BundleLayout.events,
                "the events do not produce the signed root at size \(manifest.treeSize): an event was deleted, "
                    + "inserted, reordered or rewritten with its hash recomputed, or the prefix was altered",
                seq: manifest.treeSize)
        }
        self.tree = tree
    }

    /// One line of `events.jsonl`: a full event, or a redacted stub whose content cannot be checked but whose hash
    /// still counts in the tree.
    private func readEvent(number: Int, text: ArraySlice<UInt8>) throws(BundleProblem) -> EventLeaf {
        let subject = "\(BundleLayout.events) line \(number)"
        do {
            let fields = try EvidenceFields(json: text)
            if fields.members["redacted"] != nil {
                let stub = try RedactedEvent(fields: fields)
                return EventLeaf(seq: stub.seq, hash: stub.hash, event: nil)
            }
            let event = try AuditEvent(fields: fields)
            return EventLeaf(seq: event.seq, hash: event.hash, event: event)
        } catch {
            throw BundleProblem(subject, "not a valid audit event (\(error))")
        }
    }

    /// Every rotation inside the exported range is the audit event at its seq, every rotation event shown is listed,
    /// and each rotation was signed after a tree head the log really had, where the bundle can compute it.
    func checkRotationEvents(_ manifest: BundleManifest) throws(BundleProblem) {
        var listed: Set<Int64> = []
        for (line, rotation) in rotations {
            let subject = "\(BundleLayout.rotations) line \(line) (seq \(rotation.seq))"
            listed.insert(rotation.seq)
            guard rotation.seq <= manifest.treeSize else {
                throw BundleProblem(
                    subject, "after the export's last seq \(manifest.treeSize)", seq: rotation.seq)
            }
            if rotation.seq >= manifest.firstSeq {
                guard let shown = rotationEvents[rotation.seq],
                    (try? KeyRotation(event: shown.event)) == rotation
                else {
                    throw BundleProblem(
                        subject, "does not match a key rotation event at seq \(rotation.seq) (redacted or edited)",
                        seq: rotation.seq)
                }
            }
            if let tree, rotation.afterSeq >= tree.firstLeaf,
                let root = try? tree.rootHash(size: rotation.afterSeq), root.hex != rotation.afterHash
            {
                throw BundleProblem(
                    subject, "signed after size \(rotation.afterSeq) with a root the log does not have there",
                    seq: rotation.seq)
            }
        }
        for (seq, shown) in rotationEvents.sorted(by: { $0.key < $1.key }) where !listed.contains(seq) {
            throw BundleProblem(
                "\(BundleLayout.events) line \(shown.line) (seq \(seq))",
                "a key rotation that \(BundleLayout.rotations) does not list (deleted)", seq: seq)
        }
    }
}

/// What the walk needs from one line of `events.jsonl`.
private struct EventLeaf {
    var seq: Int64
    var hash: String
    /// The full event, nil for a stub.
    var event: AuditEvent?
}
