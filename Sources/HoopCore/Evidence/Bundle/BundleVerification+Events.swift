extension BundleVerification {
    /// Walks `events.jsonl` from the anchor: seq by seq, each `prev` the hash before it, each full event matching its
    /// hash, each checkpoint's hash found at its seq, and the walk ending exactly at the last checkpoint and at the
    /// end of the sealed range.
    mutating func checkEvents(_ manifest: BundleManifest) throws(BundleProblem) {
        let anchor = manifest.firstSeq == 1 ? HashChain.genesis : checkpoints[0].hash
        hashes[manifest.firstSeq - 1] = anchor
        var cursor = ChainCursor(firstSeq: manifest.firstSeq, anchor: anchor)
        let checkpointHashes = Dictionary(
            checkpoints.map { ($0.seq, $0.hash) }, uniquingKeysWith: { first, _ in first })
        for (number, text) in JSONLines.split(file(BundleLayout.events)) {
            let link = try readEvent(number: number, text: text)
            let subject = "\(BundleLayout.events) line \(number) (seq \(link.seq))"
            if let problem = cursor.advance(seq: link.seq, prev: link.prev, hash: link.hash, intact: link.intact) {
                throw BundleProblem(subject, problem, seq: link.seq)
            }
            if let signed = checkpointHashes[link.seq], signed != link.hash {
                throw BundleProblem(
                    "checkpoint at seq \(link.seq)",
                    "signed hash does not match the event at seq \(link.seq) (the events up to it were rewritten)",
                    seq: link.seq)
            }
            hashes[link.seq] = link.hash
            if let event = link.event {
                verified.events += 1
                if event.kind == .auditKeyRotated { rotationEvents[event.seq] = (number, event) }
                if let recording = SealedRecording(event) { sealedRecordings.append(recording) }
            } else {
                verified.stubs += 1
            }
        }
        try checkEnd(cursor: cursor, manifest: manifest)
    }

    private func checkEnd(cursor: ChainCursor, manifest: BundleManifest) throws(BundleProblem) {
        let last = cursor.lastSeq
        let covered = checkpoints[checkpoints.count - 1].seq
        let subject = BundleLayout.events
        if last < covered {
            throw BundleProblem(
                subject, "events end at seq \(last) but the last checkpoint covers seq \(covered) (truncated)",
                seq: last)
        }
        if last > covered {
            throw BundleProblem(
                subject,
                "events after seq \(covered) up to seq \(last) are not covered by a checkpoint "
                    + "(appended, or the covering checkpoint deleted)", seq: last)
        }
        if last < manifest.lastSeq {
            throw BundleProblem(
                subject, "events end at seq \(last) but the export was sealed at seq \(manifest.lastSeq) (truncated)",
                seq: last)
        }
        if last > manifest.lastSeq {
            throw BundleProblem(
                subject, "events run past seq \(manifest.lastSeq), where the export was sealed (appended)", seq: last)
        }
        if cursor.lastHash != manifest.lastHash {
            throw BundleProblem(
                subject, "the event at seq \(last) does not have the hash the export was sealed with", seq: last)
        }
    }

    /// One line of `events.jsonl`: a full event, or a redacted stub whose content cannot be checked but whose hash
    /// must still link.
    private func readEvent(number: Int, text: ArraySlice<UInt8>) throws(BundleProblem) -> EventLink {
        let subject = "\(BundleLayout.events) line \(number)"
        do {
            let fields = try EvidenceFields(json: text)
            if fields.members["redacted"] != nil {
                let stub = try RedactedEvent(fields: fields)
                return EventLink(seq: stub.seq, prev: stub.prev, hash: stub.hash, intact: true, event: nil)
            }
            let event = try AuditEvent(fields: fields)
            return EventLink(seq: event.seq, prev: event.prev, hash: event.hash, intact: event.isIntact, event: event)
        } catch {
            throw BundleProblem(subject, "not a valid audit event (\(error))")
        }
    }

    /// Every rotation inside the exported range is the audit event at its seq, every rotation event shown is listed,
    /// and each rotation was signed after a point the chain really passed through.
    func checkRotationEvents(_ manifest: BundleManifest) throws(BundleProblem) {
        var listed: Set<Int64> = []
        for (line, rotation) in rotations {
            let subject = "\(BundleLayout.rotations) line \(line) (seq \(rotation.seq))"
            listed.insert(rotation.seq)
            guard rotation.seq <= manifest.lastSeq else {
                throw BundleProblem(
                    subject, "after the export's last seq \(manifest.lastSeq)", seq: rotation.seq)
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
            if let hash = hashes[rotation.afterSeq], hash != rotation.afterHash {
                throw BundleProblem(
                    subject, "signed after seq \(rotation.afterSeq) with a hash the chain does not have there",
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

/// What the chain walk needs from one line of `events.jsonl`.
private struct EventLink {
    var seq: Int64
    var prev: String
    var hash: String
    var intact: Bool
    /// The full event, nil for a stub.
    var event: AuditEvent?
}
