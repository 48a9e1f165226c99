import Crypto
package import Foundation

/// Turns a run of the audit chain into a bundle an auditor can verify offline (DESIGN.md §4).
///
/// The bundle covers `events` from the first (which must follow a checkpoint, or be seq 1) up to the last checkpoint
/// among them. Events the filter does not select become stubs `{"seq","prev","hash","redacted":true}`; key rotations
/// are always shown in full, since the verifier follows them. Recordings are included for the `session.close`
/// events shown in full — the file when it exists, its tombstone when it was pruned. The manifest is sealed with
/// `signingKey`, the audit key in effect now.
package struct EvidenceBundleWriter: Sendable {
    private let signingKey: any EvidenceSigner

    package init(signingKey: any EvidenceSigner) {
        self.signingKey = signingKey
    }

    package func assemble(_ export: EvidenceExport) throws(EvidenceExportError) -> EvidenceBundle {
        let events = try coveredEvents(export)
        guard let first = events.first, let last = events.last else { throw EvidenceExportError.noEvents }
        let checkpoints = export.checkpoints.filter { $0.seq >= first.seq - 1 && $0.seq <= last.seq }
            .sorted { $0.seq < $1.seq }
        let rotations = export.rotations.filter { $0.seq <= last.seq }.sorted { $0.seq < $1.seq }

        var counts = BundleCounts()
        var eventLines: [String] = []
        var sealed: [SealedRecording] = []
        for event in events {
            if export.filter.matches(event) || event.kind == .auditKeyRotated {
                eventLines.append(event.jsonLine)
                counts.events += 1
                if let recording = SealedRecording(event) { sealed.append(recording) }
            } else {
                eventLines.append(RedactedEvent(event).jsonLine)
                counts.stubs += 1
            }
        }
        let rootKey = rotations.first?.from ?? signingKey.auditPublicKey
        var files: [String: [UInt8]] = [
            BundleLayout.events: JSONLines.join(eventLines),
            BundleLayout.checkpoints: JSONLines.join(checkpoints.map(\.jsonLine)),
            BundleLayout.rotations: JSONLines.join(rotations.map(\.jsonLine)),
            BundleLayout.pubkey: Array((rootKey.text + "\n").utf8),
        ]
        counts.checkpoints = checkpoints.count
        counts.rotations = rotations.count
        let tombstones = Dictionary(export.tombstones.map { ($0.session, $0) }, uniquingKeysWith: { _, last in last })
        for recording in sealed {
            guard BundleLayout.isSafeSessionID(recording.session) else {
                throw EvidenceExportError.unsafeSessionID(recording.session)
            }
            if let bytes = export.recordings[recording.session] {
                files[BundleLayout.recording(session: recording.session)] = bytes
                counts.recordings += 1
            } else if let tombstone = tombstones[recording.session] {
                files[BundleLayout.tombstone(session: recording.session)] = Array((tombstone.json + "\n").utf8)
                counts.tombstones += 1
            }
        }

        var manifest = BundleManifest(
            broker: export.broker, exportedAt: export.exportedAt, filters: export.filter.jsonValue,
            firstSeq: first.seq, lastSeq: last.seq, lastHash: last.hash, counts: counts,
            files: files.mapValues(BundleManifest.digest), signedBy: rootKey, signature: "")
        do {
            try manifest.seal(with: signingKey)
        } catch {
            throw EvidenceExportError.signingFailed("\(error)")
        }
        files[BundleLayout.manifest] = manifest.json
        return EvidenceBundle(files: files)
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

    /// Writes an already assembled bundle (for example one received from the broker's API) the same way.
    package static func write(_ bundle: EvidenceBundle, to directory: URL) throws(EvidenceBundleIOError) {
        let files = FileManager.default
        let final = directory.standardizedFileURL
        let partial = final.deletingLastPathComponent().appendingPathComponent(final.lastPathComponent + ".partial")
        guard !files.fileExists(atPath: final.path) else {
            throw EvidenceBundleIOError(path: final.path, reason: "already exists; choose a new directory")
        }
        do {
            if files.fileExists(atPath: partial.path) { try files.removeItem(at: partial) }
            for (path, bytes) in bundle.files.sorted(by: { $0.key < $1.key }) {
                let url = partial.appendingPathComponent(path)
                try files.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(bytes).write(to: url)
            }
            try files.moveItem(at: partial, to: final)
        } catch {
            throw EvidenceBundleIOError(
                path: final.path, reason: "cannot write the bundle: \(error.localizedDescription)")
        }
    }

    /// `export.events` from the anchor up to the last checkpoint among them.
    private func coveredEvents(_ export: EvidenceExport) throws(EvidenceExportError) -> ArraySlice<AuditEvent> {
        guard let first = export.events.first else { throw EvidenceExportError.noEvents }
        for (offset, event) in export.events.enumerated() where event.seq != first.seq + Int64(offset) {
            throw EvidenceExportError.notConsecutive(expected: first.seq + Int64(offset), found: event.seq)
        }
        if first.seq > 1 && !export.checkpoints.contains(where: { $0.seq == first.seq - 1 }) {
            throw EvidenceExportError.noAnchor(firstSeq: first.seq)
        }
        let lastSeq = first.seq + Int64(export.events.count) - 1
        guard let end = export.checkpoints.map(\.seq).filter({ $0 >= first.seq && $0 <= lastSeq }).max() else {
            throw EvidenceExportError.notCovered(firstSeq: first.seq, lastSeq: lastSeq)
        }
        return export.events[...Int(end - first.seq)]
    }
}
