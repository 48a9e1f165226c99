import Crypto
import Foundation
import HoopCore
import Testing

@Suite("Evidence bundle: writing, reading, verifying")
struct EvidenceBundleRoundTripTests {
    @Test("a written bundle reads back and verifies against the pinned key, up to the last checkpoint")
    func roundTrip() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let directory = try fixture.write()
        let bundle = try EvidenceBundleReader.read(from: directory)
        #expect(
            Set(bundle.files.keys)
                == [
                    "manifest.json", "events.jsonl", "checkpoints.jsonl", "rotations.jsonl", "pubkey",
                    "recordings/ses_a.jsonl", "recordings/ses_b.tombstone.json",
                ])
        #expect(
            String(decoding: bundle.files["pubkey"]!, as: UTF8.self) == AuditPublicKey(fixture.key.publicKey).text
                + "\n")
        let manifest = try BundleManifest(json: bundle.files["manifest.json"]!)
        #expect(manifest.firstSeq == 1 && manifest.lastSeq == 50 && manifest.lastHash == fixture.events[49].hash)
        #expect(manifest.broker == BrokerIdentity(id: "broker-1", fingerprint: "SHA256 ab:cd"))

        let report = BundleVerifier.verify(bundle, pinnedKey: AuditPublicKey(fixture.key.publicKey))
        #expect(report.problem == nil)
        #expect(report.ok)
        #expect(report.trustSource == .pinned)
        #expect(report.trustedKey == AuditPublicKey(fixture.key.publicKey).text)
        var expected = BundleCounts()
        expected.events = 50
        expected.checkpoints = 5
        expected.recordings = 1
        expected.tombstones = 1
        #expect(report.verified == expected)
        #expect(manifest.counts == expected)
        #expect(!FileManager.default.fileExists(atPath: directory.path + ".partial"))
    }

    @Test("without a pinned key the bundle's own key is trusted, and the report says so")
    func trustFromBundle() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let report = try EvidenceBundleTamperer(directory: try fixture.write()).verify(pinned: nil)
        #expect(report.ok)
        #expect(report.trustSource == .bundle)
        #expect(report.summaryLines.last?.contains("the bundle's own pubkey file") == true)
    }

    @Test("a filtered export shows matching events in full, the rest as stubs, and still verifies")
    func filteredExport() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let directory = try fixture.write(filter: EvidenceFilter(session: "ses_a"))
        let tamperer = EvidenceBundleTamperer(directory: directory)
        let lines = try tamperer.lines("events.jsonl")
        #expect(
            lines[11]
                == #"{"hash":"\#(fixture.events[11].hash)","prev":"\#(fixture.events[10].hash)","redacted":true,"seq":12}"#
        )
        #expect(lines[4] == fixture.events[4].jsonLine)
        let report = try tamperer.verify(pinned: fixture.key)
        #expect(report.problem == nil)
        #expect(report.verified.events == 2 && report.verified.stubs == 48)
        #expect(report.verified.recordings == 1 && report.verified.tombstones == 0)
        let manifest = try BundleManifest(
            json: Array(try Data(contentsOf: directory.appendingPathComponent("manifest.json"))))
        #expect(manifest.filters == ["session": "ses_a"])
    }

    @Test("a stub whose hash was altered breaks the link after it")
    func alteredStub() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let tamperer = EvidenceBundleTamperer(directory: try fixture.write(filter: EvidenceFilter(session: "ses_a")))
        try tamperer.edit("events.jsonl") { lines in
            lines[11] = lines[11].replacingOccurrences(
                of: fixture.events[11].hash, with: String(repeating: "0", count: 64))
        }
        #expect(
            try tamperer.verify(pinned: fixture.key).problem?.description
                == "events.jsonl line 13 (seq 13): prev does not match the hash of seq 12 (the link before it was "
                + "edited or replaced)")
    }

    @Test("a stub at a checkpoint whose hash was altered contradicts the checkpoint")
    func alteredStubAtCheckpoint() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let tamperer = EvidenceBundleTamperer(directory: try fixture.write(filter: EvidenceFilter(session: "ses_a")))
        try tamperer.edit("events.jsonl") { lines in
            lines[19] = lines[19].replacingOccurrences(
                of: fixture.events[19].hash, with: String(repeating: "0", count: 64))
        }
        #expect(
            try tamperer.verify(pinned: fixture.key).problem?.description
                == "checkpoint at seq 20: signed hash does not match the event at seq 20 (the events up to it were "
                + "rewritten)")
    }

    @Test("an export can start right after a checkpoint instead of at genesis")
    func exportFromCheckpoint() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let tamperer = EvidenceBundleTamperer(directory: try fixture.write(from: 31))
        let report = try tamperer.verify(pinned: fixture.key)
        #expect(report.problem == nil)
        #expect(report.firstSeq == 31 && report.verified.events == 20 && report.verified.checkpoints == 3)
        try tamperer.edit("checkpoints.jsonl") { $0.removeFirst() }
        #expect(
            try tamperer.verify(pinned: fixture.key).problem?.description
                == "checkpoint at seq 30: missing, though the export starts right after it (deleted)")
    }

    @Test("the writer refuses events that do not start after a checkpoint or that no checkpoint covers")
    func writerRefusals() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let writer = EvidenceBundleWriter(signingKey: fixture.key)
        #expect(throws: EvidenceExportError.noAnchor(firstSeq: 32)) { try writer.assemble(fixture.export(from: 32)) }
        var early = fixture.export()
        early.events = Array(early.events.prefix(9))
        #expect(throws: EvidenceExportError.notCovered(firstSeq: 1, lastSeq: 9)) { try writer.assemble(early) }
        var gap = fixture.export()
        gap.events.remove(at: 3)
        #expect(throws: EvidenceExportError.notConsecutive(expected: 4, found: 5)) { try writer.assemble(gap) }
        let directory = try fixture.write()
        #expect(throws: EvidenceBundleIOError.self) { try writer.write(fixture.export(), to: directory) }
    }

    @Test("rotated keys are followed from the first key; a later pinned key covers only what it signed")
    func keyRotation() throws {
        let newKey = Curve25519.Signing.PrivateKey()
        let fixture = try EvidenceBundleFixture(rotation: (25, newKey))
        defer { fixture.removeFiles() }
        let full = EvidenceBundleTamperer(directory: try fixture.write(signer: newKey))
        let report = try full.verify(pinned: fixture.key)
        #expect(report.problem == nil)
        #expect(report.verified.rotations == 1 && report.verified.checkpoints == 5 && report.verified.tombstones == 1)
        #expect(
            try full.verify(pinned: newKey).problem?.description
                == "checkpoint at seq 10: signed by \(AuditPublicKey(fixture.key.publicKey)), which was in effect "
                + "before the trusted key (pin an earlier key to verify it)")
        let later = EvidenceBundleTamperer(directory: try fixture.write(from: 31, signer: newKey))
        #expect(try later.verify(pinned: newKey).problem == nil)
    }

    @Test("a key rotation to a key the old key never vouched for is refused")
    func forgedRotation() throws {
        let newKey = Curve25519.Signing.PrivateKey()
        let fixture = try EvidenceBundleFixture(rotation: (25, newKey))
        defer { fixture.removeFiles() }
        let tamperer = EvidenceBundleTamperer(directory: try fixture.write(signer: newKey))
        let attacker = AuditPublicKey(Curve25519.Signing.PrivateKey().publicKey)
        try tamperer.edit("rotations.jsonl") { lines in
            lines[0] = lines[0].replacingOccurrences(of: AuditPublicKey(newKey.publicKey).text, with: attacker.text)
        }
        #expect(
            try tamperer.verify(pinned: fixture.key).problem?.description
                == "rotations.jsonl line 1 (seq 25): signature invalid (rotation edited or forged)")
    }
}
