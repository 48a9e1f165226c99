import Crypto
import Foundation
import HoopCore
import Testing

@Suite("Evidence bundle: writing, reading, verifying")
struct EvidenceBundleRoundTripTests {
    @Test("a written bundle reads back and verifies against the pinned key")
    func roundTrip() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let directory = try fixture.write()
        let bundle = try EvidenceBundleReader.read(from: directory)
        #expect(
            Set(bundle.files.keys)
                == [
                    "manifest.json", "events.jsonl", "prefix.jsonl", "checkpoint.note", "rotations.jsonl", "pubkey",
                    "recordings/ses_a.jsonl", "recordings/ses_b.tombstone.json",
                ])
        #expect(
            String(decoding: bundle.files["pubkey"]!, as: UTF8.self) == AuditPublicKey(fixture.key.publicKey).text
                + "\n")
        let manifest = try BundleManifest(json: bundle.files["manifest.json"]!)
        #expect(manifest.firstSeq == 1 && manifest.treeSize == 53 && manifest.root == fixture.tree.root.hex)
        #expect(manifest.origin == EvidenceBundleFixture.origin)
        #expect(manifest.broker == BrokerIdentity(id: "broker-1", fingerprint: "SHA256 ab:cd"))

        let report = BundleVerifier.verify(bundle, trust: BundleTrust(pinnedKey: AuditPublicKey(fixture.key.publicKey)))
        #expect(report.problem == nil)
        #expect(report.ok)
        #expect(report.trustSource == .pinned)
        #expect(report.trustedKey == AuditPublicKey(fixture.key.publicKey).text)
        #expect(report.root == fixture.tree.root.hex && report.treeSize == 53)
        #expect(report.anchoring == .unanchored)
        var expected = BundleCounts()
        expected.events = 53
        expected.checkpoints = 1
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

    @Test("a filtered export shows matching events in full, the rest as leaf-hash stubs, and still verifies")
    func filteredExport() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let directory = try fixture.write(filter: EvidenceFilter(session: "ses_a"))
        let tamperer = EvidenceBundleTamperer(directory: directory)
        let lines = try tamperer.lines("events.jsonl")
        #expect(lines[11] == #"{"hash":"\#(fixture.events[11].hash)","redacted":true,"seq":12}"#)
        #expect(lines[4] == fixture.events[4].jsonLine)
        let report = try tamperer.verify(pinned: fixture.key)
        #expect(report.problem == nil)
        #expect(report.verified.events == 2 && report.verified.stubs == 51)
        #expect(report.verified.recordings == 1 && report.verified.tombstones == 0)
        let manifest = try BundleManifest(
            json: Array(try Data(contentsOf: directory.appendingPathComponent("manifest.json"))))
        #expect(manifest.filters == ["session": "ses_a"])
    }

    @Test("a stub whose hash was altered no longer gives the signed root")
    func alteredStub() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let tamperer = EvidenceBundleTamperer(directory: try fixture.write(filter: EvidenceFilter(session: "ses_a")))
        try tamperer.edit("events.jsonl") { lines in
            lines[11] = lines[11].replacingOccurrences(
                of: fixture.events[11].hash, with: String(repeating: "0", count: 64))
        }
        #expect(try tamperer.verify(pinned: fixture.key).problem?.description == EvidenceBundleTamperTests.rootMismatch)
    }

    @Test("an export can leave out the leaves before a point, standing in for them with their compact range")
    func exportWithPrefix() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let tamperer = EvidenceBundleTamperer(directory: try fixture.write(from: 31))
        let report = try tamperer.verify(pinned: fixture.key)
        #expect(report.problem == nil)
        #expect(report.firstSeq == 31 && report.verified.events == 23)
        #expect(try tamperer.lines("prefix.jsonl").count == 4, "30 = 16 + 8 + 4 + 2")
        try tamperer.edit("prefix.jsonl") { lines in
            lines[1] = lines[1].replacingOccurrences(
                of: try fixture.tree.node(level: 3, index: 2).hex, with: String(repeating: "1", count: 64))
        }
        #expect(try tamperer.verify(pinned: fixture.key).problem?.description == EvidenceBundleTamperTests.rootMismatch)
        try tamperer.edit("prefix.jsonl") { $0.removeFirst() }
        #expect(
            try tamperer.verify(pinned: fixture.key).problem?.description.hasPrefix(
                "prefix.jsonl: the prefix lists 3 subtrees where the leaves it stands for need exactly 4") == true)
    }

    @Test("the writer refuses events that skip a seq, a prefix that is not the compact range, a checkpoint elsewhere")
    func writerRefusals() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let writer = EvidenceBundleWriter(signingKey: fixture.key)
        var gap = try fixture.export()
        gap.events.remove(at: 3)
        #expect(throws: EvidenceExportError.notConsecutive(expected: 4, found: 5)) { try writer.assemble(gap) }
        var short = try fixture.export()
        short.events = Array(short.events.prefix(9))
        #expect(throws: EvidenceExportError.self) { try writer.assemble(short) }
        var prefix = try fixture.export(from: 31)
        prefix.prefix.removeLast()
        #expect(throws: EvidenceExportError.self) { try writer.assemble(prefix) }
        let directory = try fixture.write()
        #expect(throws: EvidenceBundleIOError.self) { try writer.write(try fixture.export(), to: directory) }
    }

    @Test("rotated keys are followed from the first key; a checkpoint from before the pinned key is refused")
    func keyRotation() throws {
        let newKey = Curve25519.Signing.PrivateKey()
        let fixture = try EvidenceBundleFixture(rotation: (25, newKey))
        defer { fixture.removeFiles() }
        let full = EvidenceBundleTamperer(directory: try fixture.write())
        let report = try full.verify(pinned: fixture.key)
        #expect(report.problem == nil)
        #expect(report.verified.rotations == 1 && report.verified.tombstones == 1)
        #expect(try full.verify(pinned: newKey).problem == nil)
        let early = EvidenceBundleTamperer(directory: try fixture.write(witnessedAt: 20))
        #expect(
            try early.verify(pinned: newKey, witnesses: [fixture.witnessKey]).problem?.description
                == "witnessed.note: signed by \(AuditPublicKey(fixture.key.publicKey)), which was in effect "
                + "before the trusted key (pin an earlier key to verify it)")
        #expect(try early.verify(pinned: fixture.key, witnesses: [fixture.witnessKey]).problem == nil)
    }

    @Test("a key rotation to a key the old key never vouched for is refused")
    func forgedRotation() throws {
        let newKey = Curve25519.Signing.PrivateKey()
        let fixture = try EvidenceBundleFixture(rotation: (25, newKey))
        defer { fixture.removeFiles() }
        let tamperer = EvidenceBundleTamperer(directory: try fixture.write())
        let attacker = AuditPublicKey(Curve25519.Signing.PrivateKey().publicKey)
        try tamperer.edit("rotations.jsonl") { lines in
            lines[0] = lines[0].replacingOccurrences(of: AuditPublicKey(newKey.publicKey).text, with: attacker.text)
        }
        #expect(
            try tamperer.verify(pinned: fixture.key).problem?.description
                == "rotations.jsonl line 1 (seq 25): signature invalid (rotation edited or forged)")
    }
}
