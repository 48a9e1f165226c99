import Crypto
package import Foundation

/// Turns the tail of the audit log into a bundle an auditor can verify offline (docs/evidence.md §4).
///
/// Events the filter does not select become stubs `{"seq","hash","redacted":true}`. Some events are always shown in
/// full because the verifier reasons about them: key rotations (it follows them), broker starts (the policies each
/// later grant must name), and the approval events that a shown `approval.use` refers to (it checks that what ran
/// was what was approved), and every `session.close` and `recording.seal` of a session the filter matches, so each
/// broker's recording segment of it comes along. Recording segments are included for the sealing events shown in
/// full — the file when it exists, its tombstone when it was pruned. The manifest is sealed with `signingKey`, the
/// audit key in effect now.
package struct EvidenceBundleWriter: Sendable {
    private let signingKey: any EvidenceSigner

    package init(signingKey: any EvidenceSigner) {
        self.signingKey = signingKey
    }

    package func assemble(_ export: EvidenceExport) throws(EvidenceExportError) -> EvidenceBundle {
        let checkpoint = try checkedCheckpoint(export)
        let shown = shownSeqs(export)
        var counts = BundleCounts()
        var eventLines: [String] = []
        var sealed: [SealedRecording] = []
        for event in export.events {
            if shown.contains(event.seq) {
                eventLines.append(event.jsonLine)
                counts.events += 1
                if let recording = SealedRecording(event) { sealed.append(recording) }
            } else {
                eventLines.append(RedactedEvent(event).jsonLine)
                counts.stubs += 1
            }
        }
        let rotations = export.rotations.filter { $0.seq <= checkpoint.size }.sorted { $0.seq < $1.seq }
        let rootKey = rotations.first?.from ?? signingKey.auditPublicKey
        var files: [String: [UInt8]] = [
            BundleLayout.events: JSONLines.join(eventLines),
            BundleLayout.prefix: JSONLines.join(export.prefix.map(PrefixLine.line)),
            BundleLayout.checkpoint: Array(export.checkpoint.serialized.utf8),
            BundleLayout.rotations: JSONLines.join(rotations.map(\.jsonLine)),
            BundleLayout.pubkey: Array((rootKey.text + "\n").utf8),
        ]
        counts.checkpoints = 1
        if let witnessed = export.witnessed {
            files[BundleLayout.witnessed] = Array(witnessed.serialized.utf8)
            counts.checkpoints += 1
        }
        counts.rotations = rotations.count
        var streamed: [String: StreamedBundleFile] = [:]
        try addRecordings(sealed, export, to: &files, streamed: &streamed, counts: &counts)

        var manifest = BundleManifest(
            broker: export.broker, exportedAt: export.exportedAt, filters: export.filter.jsonValue,
            origin: export.origin, treeSize: checkpoint.size, root: checkpoint.root.hex,
            firstSeq: Int64(export.events.first?.seq ?? 1), counts: counts,
            files: files.mapValues(BundleManifest.digest).merging(streamed.mapValues(\.digest)) { inline, _ in inline },
            signedBy: rootKey, signature: "")
        do {
            try manifest.seal(with: signingKey)
        } catch {
            throw EvidenceExportError.signingFailed("\(error)")
        }
        files[BundleLayout.manifest] = manifest.json
        return EvidenceBundle(files: files, streamed: streamed)
    }

    /// Assembles the bundle and writes it as the directory `directory`, which must not exist yet. Files go to
    /// `<directory>.partial` first and the folder is renamed when complete, so a half-written bundle never carries
    /// the final name.
    @discardableResult
    package func write(_ export: EvidenceExport, to directory: URL) throws -> EvidenceBundle {
        let bundle = try assemble(export)
        try EvidenceBundleWriter.write(bundle, to: directory)
        return bundle
    }

    /// Writes an assembled bundle through `BundleDirectoryWriter`. Only its in-memory files: an export whose
    /// recordings stream (`streamedRecordings`) goes out through the broker's API instead, and the client writes it
    /// as it arrives (`BundleTarReceiver`).
    private static func write(_ bundle: EvidenceBundle, to directory: URL) throws(EvidenceBundleIOError) {
        let writer = try BundleDirectoryWriter(directory: directory)
        do throws(EvidenceBundleIOError) {
            for (path, bytes) in bundle.files.sorted(by: { $0.key < $1.key }) {
                try writer.begin(path)
                try writer.write(bytes)
            }
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// The events run without gap from right after the prefix to the checkpoint's size, of the export's origin.
    private func checkedCheckpoint(_ export: EvidenceExport) throws(EvidenceExportError) -> TreeCheckpoint {
        guard let first = export.events.first else { throw EvidenceExportError.noEvents }
        for (offset, event) in export.events.enumerated() where event.seq != first.seq + Int64(offset) {
            throw EvidenceExportError.notConsecutive(expected: first.seq + Int64(offset), found: event.seq)
        }
        guard export.prefix.map(\.0) == MerkleMath.compactRange(count: first.seq - 1) else {
            throw EvidenceExportError.checkpointMismatch("the prefix is not the compact range before seq \(first.seq)")
        }
        let checkpoint: TreeCheckpoint
        do {
            checkpoint = try TreeCheckpoint(body: export.checkpoint.text)
        } catch {
            throw EvidenceExportError.checkpointMismatch(error.reason)
        }
        let last = first.seq + Int64(export.events.count) - 1
        guard checkpoint.origin == export.origin, checkpoint.size == last else {
            throw EvidenceExportError.checkpointMismatch(
                "it is \(checkpoint.origin) at size \(checkpoint.size), the events end at seq \(last)")
        }
        return checkpoint
    }

    /// The seqs shown in full: the filter's, every key rotation and broker start, the approval events behind a
    /// shown use, and the close and segment seals of every session the filter matches
    /// (`EvidenceFilter.sessions(in:)`).
    private func shownSeqs(_ export: EvidenceExport) -> Set<Int64> {
        var shown: Set<Int64> = []
        var usedApprovals: Set<Int64> = []
        let sessions = export.filter.sessions(in: export.events)
        for event in export.events
        where export.filter.matches(event) || event.kind == .auditKeyRotated || event.kind == .brokerStart {
            shown.insert(event.seq)
            if event.kind == .approvalUse, let approval = event.approvalID {
                usedApprovals.insert(approval)
            }
        }
        for event in export.events
        where event.approvalID.map(usedApprovals.contains) == true
            || SealedRecording.seals(event, of: sessions)
        {
            shown.insert(event.seq)
        }
        return shown
    }

    /// Each sealed segment once, by name: its file (inline, or named for streaming), or its tombstone when retention
    /// pruned it.
    private func addRecordings(
        _ sealed: [SealedRecording], _ export: EvidenceExport, to files: inout [String: [UInt8]],
        streamed: inout [String: StreamedBundleFile], counts: inout BundleCounts
    ) throws(EvidenceExportError) {
        let tombstones = Dictionary(export.tombstones.map { ($0.session, $0) }, uniquingKeysWith: { _, last in last })
        var added: Set<String> = []
        for recording in sealed where added.insert(recording.name).inserted {
            guard BundleLayout.isSafeRecordingName(recording.name) else {
                throw EvidenceExportError.unsafeRecordingName(recording.name)
            }
            if let bytes = export.recordings[recording.name] {
                files[BundleLayout.recording(name: recording.name)] = bytes
                counts.recordings += 1
            } else if let file = export.streamedRecordings[recording.name] {
                streamed[BundleLayout.recording(name: recording.name)] = file
                counts.recordings += 1
            } else if let tombstone = tombstones[recording.name] {
                files[BundleLayout.tombstone(name: recording.name)] = Array((tombstone.json + "\n").utf8)
                counts.tombstones += 1
            }
        }
    }
}
