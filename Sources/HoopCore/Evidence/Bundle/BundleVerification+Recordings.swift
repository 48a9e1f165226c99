extension BundleVerification {
    /// Every recording segment sealed by a shown `session.close` or `recording.seal` event is present and proves
    /// itself against its own seal — its own chain intact, from `start` to `end`, ending in the sealed digest — or a
    /// tombstone signed by a trusted key stands in for it. A segment's name must be a plain file name of its own
    /// session's (the session id, or `<session>.<broker>`), so a seal cannot point outside the recordings folder or
    /// at another session's file. A file nothing refers to is refused, so files cannot be slipped into a bundle.
    mutating func checkRecordings() throws(BundleProblem) {
        var referenced: Set<String> = []
        for sealed in sealedRecordings {
            try checkName(sealed)
            let recordingPath = BundleLayout.recording(name: sealed.name)
            let tombstonePath = BundleLayout.tombstone(name: sealed.name)
            if let bytes = bundle.files[recordingPath] {
                try checkRecording(bytes, sealed: sealed)
                if referenced.insert(recordingPath).inserted { verified.recordings += 1 }
            } else if let bytes = bundle.files[tombstonePath] {
                try checkTombstone(bytes, sealed: sealed)
                if referenced.insert(tombstonePath).inserted { verified.tombstones += 1 }
            } else {
                throw BundleProblem(
                    "recording \(sealed.name)", "referenced by seq \(sealed.seq) is missing", seq: sealed.seq)
            }
        }
        let stray = bundle.files.keys.sorted().first {
            $0.hasPrefix(BundleLayout.recordingsFolder) && !referenced.contains($0)
        }
        if let stray {
            throw BundleProblem(
                stray, "not referenced by any session.close or recording.seal event shown in the export")
        }
    }

    private func checkName(_ sealed: SealedRecording) throws(BundleProblem) {
        let subject = "recording \(sealed.name)"
        guard BundleLayout.isSafeRecordingName(sealed.name) else {
            throw BundleProblem(
                subject, "sealed by seq \(sealed.seq) under a name that cannot be a file in the recordings folder",
                seq: sealed.seq)
        }
        guard sealed.name == sealed.session || sealed.name.hasPrefix(sealed.session + ".") else {
            throw BundleProblem(
                subject, "sealed by seq \(sealed.seq) is not a segment of session \(sealed.session)", seq: sealed.seq)
        }
    }

    private func checkRecording(_ bytes: [UInt8], sealed: SealedRecording) throws(BundleProblem) {
        let subject = "recording \(sealed.name)"
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
        let subject = "recording \(sealed.name)"
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
        guard tombstone.session == sealed.name else {
            throw BundleProblem(
                subject, "tombstone is for recording \(tombstone.session) (moved from another recording)",
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
