import Crypto
import Foundation
import HoopCore
import Testing

/// The evidence formats checked by a second implementation: testing/evidence-verifier/verify.py, written from
/// RFC 6962 and the C2SP specs without the Swift code. Bundles and proofs written here must verify there, tampered
/// ones must fail there, and the samples it wrote must verify here.
@Suite("Evidence formats: interop with the independent Python verifier")
struct EvidenceInteropTests {
    static let verifierDirectory = TransparencyVectors.repositoryRoot.appendingPathComponent(
        "testing/evidence-verifier")

    struct Verdict: Decodable {
        var ok: Bool
        var root: String?
        var status: String?
        var problem: String?
    }

    static func python(_ arguments: [String]) throws -> Verdict {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", verifierDirectory.appendingPathComponent("verify.py").path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let verdict = try JSONDecoder().decode(Verdict.self, from: data)
        #expect(verdict.ok == (process.terminationStatus == 0), "exit status agrees with the verdict")
        return verdict
    }

    @Test("a Swift bundle with a key rotation, a filter and a witness verifies in Python with the same root")
    func swiftBundleInPython() throws {
        let fixture = try EvidenceBundleFixture(rotation: (25, Curve25519.Signing.PrivateKey()))
        defer { fixture.removeFiles() }
        let directory = try fixture.write(from: 11, filter: EvidenceFilter(session: "ses_a"), witnessedAt: 53)
        let verdict = try Self.python([
            "bundle", directory.path, "--pubkey", AuditPublicKey(fixture.key.publicKey).text, "--witness-key",
            fixture.witnessKey.text, "--min-witnesses", "1",
        ])
        #expect(verdict.problem == nil)
        #expect(verdict.ok && verdict.root == fixture.tree.root.hex && verdict.status == "witnessed")

        let tamperer = EvidenceBundleTamperer(directory: directory)
        try tamperer.edit("events.jsonl") { lines in
            var event = try AuditEvent(jsonLine: Array(lines[20].utf8))
            event.actor = "mallory"
            event.hash = event.leafHash.hex
            lines[20] = event.jsonLine
        }
        #expect(
            try Self.python(["bundle", directory.path, "--pubkey", AuditPublicKey(fixture.key.publicKey).text]).ok
                == false)
    }

    @Test("a bundle witnessed only up to an earlier head is unanchored in both verifiers")
    func unanchoredInBoth() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        let directory = try fixture.write(witnessedAt: 50)
        let verdict = try Self.python([
            "bundle", directory.path, "--pubkey", AuditPublicKey(fixture.key.publicKey).text, "--witness-key",
            fixture.witnessKey.text,
        ])
        #expect(verdict.ok && verdict.status == "unanchored")
        let report = try EvidenceBundleTamperer(directory: directory).verify(
            pinned: fixture.key, witnesses: [fixture.witnessKey])
        #expect(report.ok && report.anchoring == .unanchored)
    }

    @Test("an inclusion proof written here verifies in Python; one moved to another event does not")
    func proofInPython() throws {
        let fixture = try EvidenceBundleFixture()
        defer { fixture.removeFiles() }
        try FileManager.default.createDirectory(at: fixture.root, withIntermediateDirectories: true)
        let event = fixture.events[40]
        let proof = InclusionProof(
            event: event, treeSize: 53, path: try fixture.tree.inclusionProof(index: 40, size: 53),
            checkpoint: try fixture.checkpoint(size: 53, cosigned: true))
        let file = fixture.root.appendingPathComponent("proof.json")
        try Data(proof.json).write(to: file)
        let key = AuditPublicKey(fixture.key.publicKey).text
        let verdict = try Self.python(["proof", file.path, "--pubkey", key, "--witness-key", fixture.witnessKey.text])
        #expect(verdict.ok && verdict.status == "witnessed")
        #expect(
            try proof.verify(logKey: AuditPublicKey(fixture.key.publicKey), witnessKeys: [fixture.witnessKey]).count
                == 1)

        var moved = proof
        moved.event = fixture.events[41]
        try Data(moved.json).write(to: file)
        #expect(try Self.python(["proof", file.path, "--pubkey", key]).ok == false)
        #expect(throws: EvidenceFormatError.self) {
            try moved.verify(logKey: AuditPublicKey(fixture.key.publicKey), witnessKeys: [])
        }
    }

    @Test("consistency proofs written here verify in Python for every old size, and a forked root does not")
    func consistencyInPython() throws {
        let fixture = try EvidenceBundleFixture(count: 21)
        defer { fixture.removeFiles() }
        for old in Int64(1)...21 {
            let proof = try fixture.tree.consistencyProof(from: old, to: 21)
            let verdict = try Self.python([
                "consistency", "--old-size", "\(old)", "--old-root", try fixture.tree.rootHash(size: old).hex,
                "--new-size", "21", "--new-root", fixture.tree.root.hex, "--proof",
                proof.map(\.hex).joined(separator: ","),
            ])
            #expect(verdict.ok, "old size \(old)")
        }
        let forked = try Self.python([
            "consistency", "--old-size", "7", "--old-root", TreeHash.leaf([1]).hex, "--new-size", "21", "--new-root",
            fixture.tree.root.hex, "--proof",
            try fixture.tree.consistencyProof(from: 7, to: 21).map(\.hex).joined(separator: ","),
        ])
        #expect(!forked.ok)
    }

    @Test("the bundles and the proof the Python side wrote verify here with the verdicts it expects")
    func pythonSamplesInSwift() throws {
        struct Samples: Decodable {
            struct Bundle: Decodable {
                var dir: String
                var root: String
                var status: String
            }

            struct Proof: Decodable {
                var file: String
                var seq: Int64
            }

            var pubkey: String
            var secondPubkey: String
            var witnessVkey: String
            var bundles: [Bundle]
            var proof: Proof

            enum CodingKeys: String, CodingKey {
                case pubkey, bundles, proof
                case secondPubkey = "second_pubkey"
                case witnessVkey = "witness_vkey"
            }
        }
        struct Vectors: Decodable { var sample: Samples }
        let samples = try JSONDecoder().decode(
            Vectors.self, from: Data(contentsOf: Self.verifierDirectory.appendingPathComponent("vectors.json"))
        ).sample
        let witness = try NoteVerifierKey(text: samples.witnessVkey)
        for sample in samples.bundles {
            let bundle = try EvidenceBundleReader.read(
                from: Self.verifierDirectory.appendingPathComponent("sample").appendingPathComponent(sample.dir))
            let report = BundleVerifier.verify(
                bundle, trust: BundleTrust(pinnedKey: try AuditPublicKey(text: samples.pubkey), witnessKeys: [witness]))
            #expect(report.problem == nil, "\(sample.dir)")
            #expect(report.root == sample.root && report.anchoring.rawValue == sample.status, "\(sample.dir)")
        }
        let proof = try InclusionProof(
            json: Array(
                try Data(
                    contentsOf: Self.verifierDirectory.appendingPathComponent("sample").appendingPathComponent(
                        samples.proof.file))))
        #expect(proof.event.seq == samples.proof.seq)
        let cosigners = try proof.verify(
            logKey: try AuditPublicKey(text: samples.secondPubkey), witnessKeys: [witness])
        #expect(cosigners.map(\.name) == [witness.name])
    }
}
