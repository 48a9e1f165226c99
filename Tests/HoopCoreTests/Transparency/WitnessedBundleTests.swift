import Crypto
import Foundation
import HoopCore
import Testing

/// What witnesses add to a bundle, attacked as a broker operator with the audit key and write access to the store
/// would attack it: cut the tail and re-sign, rewrite the middle and re-sign, replay old heads, move cosignatures.
@Suite("Evidence bundle: witnesses and older evidence")
struct WitnessedBundleTests {
    @Test("a head the witness cosigned covering every event is reported as witnessed")
    func witnessed() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let bundle = EvidenceBundleTamperer(directory: try fixture.write(witnessedAt: 53))
        let report = try bundle.verify(pinned: fixture.key, witnesses: [fixture.witnessKey], minWitnesses: 1)
        #expect(report.problem == nil)
        #expect(report.anchoring == .witnessed && report.witnessedSize == 53)
        #expect(
            report.witnesses == [WitnessCosignature(name: EvidenceBundleFixture.witnessName, timestamp: 1_790_000_000)])
        let unpinnedWitness = try bundle.verify(pinned: fixture.key)
        #expect(unpinnedWitness.ok && unpinnedWitness.anchoring == .unanchored)
    }

    @Test("events newer than the newest cosigned head are unanchored, and a required quorum fails on them")
    func unanchoredTail() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let bundle = EvidenceBundleTamperer(directory: try fixture.write(witnessedAt: 50))
        let report = try bundle.verify(pinned: fixture.key, witnesses: [fixture.witnessKey])
        #expect(report.ok && report.anchoring == .unanchored && report.witnessedSize == 50)
        #expect(
            try bundle.verify(pinned: fixture.key, witnesses: [fixture.witnessKey], minWitnesses: 1).problem?
                .description == "witnesses: events seq 51...53 are newer than every cosigned head (unanchored)")
        let none = EvidenceBundleTamperer(directory: try fixture.write())
        #expect(
            try none.verify(pinned: fixture.key, witnesses: [fixture.witnessKey], minWitnesses: 1).problem?
                .description
                == "witnesses: 0 of the trusted witnesses cosigned, 1 required (unanchored: nothing independent of the "
                + "broker vouches that the log only grew)")
    }

    @Test("the tail deleted and the shorter log re-signed with the broker's own key")
    func tailDeletedAndResigned() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let cosigned = try fixture.checkpoint(size: 53, cosigned: true)
        // The operator keeps the witnesses' head to look witnessed: it is larger than the log now is.
        var keepingHead = try fixture.export(size: 40)
        keepingHead.witnessed = cosigned
        let directory = fixture.newPath()
        try EvidenceBundleWriter(signingKey: fixture.key).write(keepingHead, to: directory)
        #expect(
            try EvidenceBundleTamperer(directory: directory).verify(
                pinned: fixture.key, witnesses: [fixture.witnessKey]
            )
            .problem?.description
                == "witnessed.note: witnesses cosigned size 53, but the log now ends at 40 (events were deleted "
                + "after the witnesses saw them)")
        // Or drops it: then nothing independent vouches for the log.
        let dropped = EvidenceBundleTamperer(directory: try fixture.write(size: 40))
        #expect(try dropped.verify(pinned: fixture.key).ok, "the broker's signature alone cannot tell")
        #expect(
            try dropped.verify(pinned: fixture.key, witnesses: [fixture.witnessKey], minWitnesses: 1).ok == false)
        // And an auditor who kept the earlier bundle sees the log shrank.
        #expect(
            try dropped.verify(pinned: fixture.key, previous: [cosigned]).problem?.description
                == "previous checkpoint 1: size 53 is larger than this bundle's 40: the log lost events since the "
                + "earlier audit")
    }

    @Test("an event in the middle rewritten and everything re-signed contradicts the witnessed head")
    func middleRewrittenAndResigned() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let witnessed = try fixture.checkpoint(size: 50, cosigned: true)
        let earlier = try fixture.checkpoint(size: 40)
        let rewritten = try EvidenceBundleFixture.rewritten(fixture, seq: 30)
        let directory = fixture.newPath()
        var export = try rewritten.export(size: 53)
        export.witnessed = witnessed
        try EvidenceBundleWriter(signingKey: fixture.key).write(export, to: directory)
        let bundle = EvidenceBundleTamperer(directory: directory)
        #expect(
            try bundle.verify(pinned: fixture.key, witnesses: [fixture.witnessKey]).problem?.description
                == "witnessed.note: witnesses cosigned root \(try fixture.tree.rootHash(size: 50).hex) at size 50, but "
                + "this log's events give another (the log was rewritten or forked after the witnesses saw it)")
        let clean = EvidenceBundleTamperer(directory: try rewritten.write(size: 53))
        #expect(
            try clean.verify(pinned: fixture.key, previous: [earlier]).problem?.description
                == "previous checkpoint 1: root at size 40 differs from this bundle's: the log was rewritten since the "
                + "earlier audit (not a consistent extension)")
        let honest = EvidenceBundleTamperer(directory: try fixture.write())
        let report = try honest.verify(pinned: fixture.key, previous: [earlier, witnessed])
        #expect(report.problem == nil && report.previousChecked == 2)
    }

    @Test("a cosignature moved onto another checkpoint, or from an untrusted witness, does not count")
    func movedCosignature() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let bundle = EvidenceBundleTamperer(directory: try fixture.write())
        var note = try fixture.checkpoint(size: 53)
        note.signatures.append(try fixture.checkpoint(size: 40, cosigned: true).signatures[1])
        try bundle.replace("checkpoint.note", with: note.serialized)
        #expect(
            try bundle.verify(pinned: fixture.key, witnesses: [fixture.witnessKey]).problem?.description
                == "checkpoint.note: the cosignature of \(EvidenceBundleFixture.witnessName) is invalid for this "
                + "checkpoint (forged, or moved from another checkpoint)")
        let impostor = Curve25519.Signing.PrivateKey()
        var forged = try fixture.checkpoint(size: 53)
        let head = TreeCheckpoint(origin: EvidenceBundleFixture.origin, size: 53, root: fixture.tree.root)
        forged.signatures.append(
            try Cosignature.sign(head, name: EvidenceBundleFixture.witnessName, key: impostor, timestamp: 1))
        try bundle.replace("checkpoint.note", with: forged.serialized)
        let report = try bundle.verify(pinned: fixture.key, witnesses: [fixture.witnessKey])
        #expect(report.ok && report.anchoring == .unanchored, "another key's line under the witness's name is ignored")
    }

    @Test("a forked log shown to two witnesses: each bundle has one cosignature, and neither extends the other")
    func forkShownToTwoWitnesses() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let second = Curve25519.Signing.PrivateKey()
        let secondKey = NoteVerifierKey(
            name: "witness.example.test/w2", kind: .cosignature, publicKey: Array(second.publicKey.rawRepresentation))
        let fork = try EvidenceBundleFixture.rewritten(fixture, seq: 45)
        // The broker shows the honest log to the first witness and the fork to the second.
        let honest = EvidenceBundleTamperer(directory: try fixture.write(witnessedAt: 53))
        var forkExport = try fork.export()
        let forkHead = TreeCheckpoint(origin: EvidenceBundleFixture.origin, size: 53, root: fork.tree.root)
        forkExport.checkpoint.signatures.append(
            try Cosignature.sign(forkHead, name: secondKey.name, key: second, timestamp: 1_790_000_001))
        let forkDirectory = fixture.newPath()
        try EvidenceBundleWriter(signingKey: fixture.key).write(forkExport, to: forkDirectory)
        let forked = EvidenceBundleTamperer(directory: forkDirectory)
        let both = [fixture.witnessKey, secondKey]
        for bundle in [honest, forked] {
            #expect(try bundle.verify(pinned: fixture.key, witnesses: both, minWitnesses: 1).ok)
            #expect(
                try bundle.verify(pinned: fixture.key, witnesses: both, minWitnesses: 2).problem?.description
                    == "witnesses: 1 of the trusted witnesses cosigned, 2 required (unanchored: nothing independent of "
                    + "the broker vouches that the log only grew)")
        }
        #expect(
            try forked.verify(pinned: fixture.key, previous: [try fixture.checkpoint(size: 53, cosigned: true)])
                .problem?.description
                == "previous checkpoint 1: root at size 53 differs from this bundle's: the log was rewritten since the "
                + "earlier audit (not a consistent extension)")
    }

    @Test("an older checkpoint before a bounded export's first event cannot be compared, and says how to fix it")
    func previousBeforePrefix() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let bounded = EvidenceBundleTamperer(directory: try fixture.write(from: 31))
        #expect(
            try bounded.verify(pinned: fixture.key, previous: [try fixture.checkpoint(size: 20)]).problem?.description
                == "previous checkpoint 1: size 20 is before this bundle's first event 31; export with an earlier "
                + "--since (or none) to compare")
        #expect(try bounded.verify(pinned: fixture.key, previous: [try fixture.checkpoint(size: 40)]).ok)
    }

    @Test("a file witness's checkpoints newer than the bundle are reported, not judged; its older ones must match")
    func shippedCheckpoints() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let bundle = EvidenceBundleTamperer(directory: try fixture.write(size: 40))
        let shipped = [
            try fixture.checkpoint(size: 20), try fixture.checkpoint(size: 40), try fixture.checkpoint(size: 53),
        ]
        let report = try bundle.verify(pinned: fixture.key, shipped: shipped)
        #expect(report.problem == nil)
        #expect(report.previousChecked == 2 && report.newerShipped == 53)
        #expect(report.summaryLines.contains { $0.contains("newer head (size 53)") })
        let rewritten = EvidenceBundleTamperer(
            directory: try EvidenceBundleFixture.rewritten(fixture, seq: 10).write(size: 40))
        #expect(
            try rewritten.verify(pinned: fixture.key, shipped: shipped).problem?.description
                == "previous checkpoint 1: root at size 20 differs from this bundle's: the log was rewritten since the "
                + "earlier audit (not a consistent extension)")
    }

    @Test("a checkpoint of another deployment's log is refused")
    func otherOrigin() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let bundle = EvidenceBundleTamperer(directory: try fixture.write())
        let other = try TreeCheckpoint(origin: "audit.example.test/staging", size: 53, root: fixture.tree.root)
            .signed(by: fixture.key)
        try bundle.replace("checkpoint.note", with: other.serialized)
        #expect(
            try bundle.verify(pinned: fixture.key).problem?.description
                == "checkpoint.note: is a checkpoint of audit.example.test/staging, the export is of "
                + "audit.example.test/prod (another log)")
    }
}

extension EvidenceBundleFixture {
    /// The same history with the event at `seq` rewritten (hash recomputed), and the same keys.
    static func rewritten(_ fixture: EvidenceBundleFixture, seq: Int64) throws -> EvidenceBundleFixture {
        try EvidenceBundleFixture(
            copying: fixture,
            drafts: [seq: AuditDraft(actor: "mallory", action: AuditAction(rawValue: "query"), decision: .allow)])
    }
}
