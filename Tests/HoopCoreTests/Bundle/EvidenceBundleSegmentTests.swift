import Crypto
import Foundation
import HoopCore
import Testing

/// A session served by two brokers: `ses_a`'s own segment sealed by its `session.close` (seq 31), and the segment
/// `ses_a.brk_2` that the other broker recorded, sealed by a `recording.seal` (seq 20). Each segment must be in the
/// bundle, checked against its own seal, and no seal may name a file outside the folder or of another session.
@Suite("Evidence bundle: recording segments of several brokers")
final class EvidenceBundleSegmentTests {
    static let segment = "ses_a.brk_2"
    static let sealSeq: Int64 = 20
    static let segmentBytes = EvidenceBundleFixture.recording(session: segment)
    let fixture: EvidenceBundleFixture
    let segmentBytes = EvidenceBundleSegmentTests.segmentBytes

    init() throws {
        let events = try RecordingFile.events(in: Self.segmentBytes)
        fixture = try EvidenceBundleFixture(
            drafts: [Self.sealSeq: EvidenceBundleFixture.seal("ses_a", name: Self.segment, events)])
    }

    deinit {
        fixture.removeFiles()
    }

    /// Writes an export of the whole log holding both segments of `ses_a`, edited by `change` first.
    private func write(
        filter: EvidenceFilter = EvidenceFilter(), _ change: (inout EvidenceExport) throws -> Void = { _ in }
    ) throws -> EvidenceBundleTamperer {
        var export = try fixture.export(filter: filter)
        export.recordings[Self.segment] = segmentBytes
        try change(&export)
        let directory = fixture.newPath()
        try EvidenceBundleWriter(signingKey: fixture.key).write(export, to: directory)
        return EvidenceBundleTamperer(directory: directory)
    }

    private func problem(_ tamperer: EvidenceBundleTamperer) throws -> String? {
        try tamperer.verify(pinned: fixture.key).problem?.description
    }

    @Test("both segments of a session are exported under their names and verify against their own seals")
    func twoSegmentsVerify() throws {
        let tamperer = try write()
        let bundle = try EvidenceBundleReader.read(from: tamperer.directory)
        #expect(bundle.files["recordings/ses_a.jsonl"] == fixture.recordingA)
        #expect(bundle.files["recordings/ses_a.brk_2.jsonl"] == segmentBytes)
        let report = try tamperer.verify(pinned: fixture.key)
        #expect(report.ok, "\(report.problem?.description ?? "")")
        #expect(report.verified.recordings == 2 && report.verified.tombstones == 1)
    }

    @Test("an export that shows a session shows every recording.seal of it, and so carries that segment")
    func filteredExportCarriesTheSeal() throws {
        // Only alice's events match; the seal is the broker's, but ses_a is alice's session (granted at seq 5).
        let tamperer = try write(filter: EvidenceFilter(actor: "alice"))
        let lines = try tamperer.lines("events.jsonl")
        #expect(!lines[Int(Self.sealSeq) - 1].contains("\"redacted\""))
        #expect(lines[32].contains("\"redacted\""))
        let bundle = try EvidenceBundleReader.read(from: tamperer.directory)
        #expect(bundle.files["recordings/ses_a.brk_2.jsonl"] == segmentBytes)
        #expect(bundle.files["recordings/ses_b.tombstone.json"] == nil)
        #expect(try problem(tamperer) == nil)
    }

    @Test("a pruned segment is replaced by a tombstone of its name")
    func segmentTombstone() throws {
        let events = try RecordingFile.events(in: segmentBytes)
        let tombstone = try RecordingTombstone.sign(
            session: Self.segment, digest: events.last!.hash, events: Int64(events.count),
            prunedAt: EvidenceBundleFixture.time, reason: "retention", key: fixture.key)
        let tamperer = try write { export in
            export.recordings[Self.segment] = nil
            export.tombstones.append(tombstone)
        }
        let report = try tamperer.verify(pinned: fixture.key)
        #expect(report.ok, "\(report.problem?.description ?? "")")
        #expect(report.verified.recordings == 1 && report.verified.tombstones == 2)
    }

    @Test("an altered segment is named with the seal it fails")
    func alteredSegment() throws {
        let tamperer = try write()
        try tamperer.edit("recordings/ses_a.brk_2.jsonl") { $0.removeLast() }
        #expect(
            try problem(tamperer)
                == "recording ses_a.brk_2: ends at seq 6 without an end event (truncated, referenced by seq 20)")
    }

    @Test("segments swapped between two seals fail against each seal's own digest")
    func swappedSegments() throws {
        let tamperer = try write()
        let own = try tamperer.lines("recordings/ses_a.jsonl")
        let other = try tamperer.lines("recordings/ses_a.brk_2.jsonl")
        try tamperer.edit("recordings/ses_a.jsonl") { $0 = other }
        try tamperer.edit("recordings/ses_a.brk_2.jsonl") { $0 = own }
        #expect(
            try problem(tamperer)
                == "recording ses_a.brk_2: digest mismatch (recording edited, referenced by seq 20)")
    }

    @Test("a segment file no seal names is refused")
    func straySegment() throws {
        let tamperer = try write()
        let stray = EvidenceBundleFixture.recording(session: "ses_a.brk_9")
        try Data(stray).write(to: tamperer.directory.appendingPathComponent("recordings/ses_a.brk_9.jsonl"))
        try tamperer.refreshManifest()
        #expect(
            try problem(tamperer)
                == "recordings/ses_a.brk_9.jsonl: not referenced by any session.close or recording.seal event shown "
                + "in the export")
    }

    @Test("the writer refuses a seal whose name could leave the recordings folder")
    func writerRefusesEscapingName() throws {
        let events = try RecordingFile.events(in: segmentBytes)
        let hostile = try EvidenceBundleFixture(
            drafts: [Self.sealSeq: EvidenceBundleFixture.seal("ses_a", name: "../x", events)])
        defer { hostile.removeFiles() }
        var export = try hostile.export()
        export.recordings["../x"] = segmentBytes
        #expect(throws: EvidenceExportError.unsafeRecordingName("../x")) {
            try EvidenceBundleWriter(signingKey: hostile.key).assemble(export)
        }
    }

    /// A seal the writer left as a stub (its session is not shown), put back in full by someone who knows the event:
    /// its leaf hash still matches, so only the name check stands between it and the file system.
    private func revealedSeal(session: String, name: String) throws -> String? {
        let events = try RecordingFile.events(in: segmentBytes)
        let hostile = try EvidenceBundleFixture(
            drafts: [Self.sealSeq: EvidenceBundleFixture.seal(session, name: name, events)])
        defer { hostile.removeFiles() }
        let tamperer = EvidenceBundleTamperer(directory: try hostile.write(filter: EvidenceFilter(actor: "alice")))
        try tamperer.edit("events.jsonl") { lines in
            #expect(lines[Int(Self.sealSeq) - 1].contains("\"redacted\""))
            lines[Int(Self.sealSeq) - 1] = hostile.events[Int(Self.sealSeq) - 1].jsonLine
        }
        return try tamperer.verify(pinned: hostile.key).problem?.description
    }

    @Test("the verifier refuses a seal naming ../x")
    func verifierRefusesEscapingName() throws {
        #expect(
            try revealedSeal(session: "ses_c", name: "../x")
                == "recording ../x: sealed by seq 20 under a name that cannot be a file in the recordings folder")
    }

    @Test("the verifier refuses a seal naming another session's segment")
    func verifierRefusesForeignSegment() throws {
        #expect(
            try revealedSeal(session: "ses_c", name: "ses_a")
                == "recording ses_a: sealed by seq 20 is not a segment of session ses_c")
    }
}
