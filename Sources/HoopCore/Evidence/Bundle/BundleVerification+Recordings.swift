extension BundleVerification {
    /// Every recording sealed by a shown `session.close` event is present and proves itself — its own chain intact,
    /// from `start` to `end`, ending in the sealed digest — or a tombstone signed by a trusted key stands in for it.
    /// A recording nothing refers to is refused, so files cannot be slipped into a bundle.
    mutating func checkRecordings() throws(BundleProblem) {
        var referenced: Set<String> = []
        for sealed in sealedRecordings {
            let recordingPath = BundleLayout.recording(session: sealed.session)
            let tombstonePath = BundleLayout.tombstone(session: sealed.session)
            if let bytes = bundle.files[recordingPath] {
                try checkRecording(bytes, sealed: sealed)
                referenced.insert(recordingPath)
                verified.recordings += 1
            } else if let bytes = bundle.files[tombstonePath] {
                try checkTombstone(bytes, sealed: sealed)
                referenced.insert(tombstonePath)
                verified.tombstones += 1
            } else {
                throw BundleProblem(
                    "recording \(sealed.session)", "referenced by seq \(sealed.seq) is missing", seq: sealed.seq)
            }
        }
        let stray = bundle.files.keys.sorted().first {
            $0.hasPrefix(BundleLayout.recordingsFolder) && !referenced.contains($0)
        }
        if let stray {
            throw BundleProblem(stray, "not referenced by any session.close event shown in the export")
        }
    }

    private func checkRecording(_ bytes: [UInt8], sealed: SealedRecording) throws(BundleProblem) {
        let subject = "recording \(sealed.session)"
        let events: [RecordingEvent]
        do {
            events = try RecordingFile.events(in: bytes)
        } catch {
            throw BundleProblem(
                "\(subject) line \(error.line)" + (error.seq.map { " (seq \($0))" } ?? ""), error.reason)
        }
        let reference = "referenced by seq \(sealed.seq)"
        guard let last = events.last else {
            throw BundleProblem(subject, "empty (truncated, \(reference))", seq: sealed.seq)
        }
        guard last.kind == .end else {
            throw BundleProblem(
                subject, "ends at seq \(last.seq) without an end event (truncated, \(reference))", seq: sealed.seq)
        }
        guard last.hash == sealed.digest else {
            throw BundleProblem(subject, "digest mismatch (recording edited, \(reference))", seq: sealed.seq)
        }
        if let count = sealed.events, count != Int64(events.count) {
            throw BundleProblem(
                subject, "holds \(events.count) events but seq \(sealed.seq) sealed \(count)", seq: sealed.seq)
        }
    }

    private func checkTombstone(_ bytes: [UInt8], sealed: SealedRecording) throws(BundleProblem) {
        let subject = "recording \(sealed.session)"
        let tombstone: RecordingTombstone
        do {
            tombstone = try RecordingTombstone(json: bytes)
        } catch {
            throw BundleProblem(subject, "tombstone is not valid (\(error))", seq: sealed.seq)
        }
        guard trustedSigners.contains(tombstone.key) else {
            throw BundleProblem(
                subject, "tombstone signed by \(tombstone.key), which is not a trusted audit key", seq: sealed.seq)
        }
        guard tombstone.isSignatureValid else {
            throw BundleProblem(subject, "tombstone signature invalid (tombstone edited or forged)", seq: sealed.seq)
        }
        guard tombstone.session == sealed.session else {
            throw BundleProblem(
                subject, "tombstone is for session \(tombstone.session) (moved from another recording)",
                seq: sealed.seq)
        }
        guard tombstone.digest == sealed.digest else {
            throw BundleProblem(
                subject, "tombstone digest does not match the digest sealed at seq \(sealed.seq)", seq: sealed.seq)
        }
        if let count = sealed.events, count != tombstone.events {
            throw BundleProblem(
                subject, "tombstone says \(tombstone.events) events but seq \(sealed.seq) sealed \(count)",
                seq: sealed.seq)
        }
    }
}
