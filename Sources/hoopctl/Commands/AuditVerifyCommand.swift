import ArgumentParser
import Foundation
import HoopCore
import Local

/// `hoopctl audit verify BUNDLE|PROOF.json [--pubkey FILE] [--witness-key VKEY ...] [--min-witnesses K]
/// [--previous OLD ...]`: offline, needs no broker.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an exported bundle or an inclusion proof offline: tree, signatures, witnesses, recordings.",
        discussion: """
            For a bundle: checks the manifest, the checkpoint's signature, every event against its leaf hash, the \
            tree's root recomputed from the events against the signed one, key rotations, approvals against what \
            they were spent on, and every recording's digest; names the first break and exits 1. With \
            --witness-key it reports `witnessed` when enough of those witnesses cosigned a head covering every \
            event and `unanchored` otherwise; --min-witnesses makes unanchored a failure. --previous takes an \
            older bundle of the same deployment (or a file witness's checkpoint file) and proves this one extends \
            it, so nothing was removed in between. For a proof file (`hoopctl audit prove`): checks the event's \
            audit path against its checkpoint. Pass --pubkey with the key the broker operator published \
            (`hoopctl broker pubkey`); without it the bundle's own key is trusted, which proves integrity but not \
            origin.
            """
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "The bundle directory, or an inclusion proof file.", completion: .file())
    var evidence: String

    @Option(name: .long, help: "File holding the trusted audit public key (ed25519:BASE64).", completion: .file())
    var pubkey: String?

    @Option(
        name: .customLong("witness-key"),
        help: "A witness's verifier key (name+keyid+base64), or a file holding one. Repeatable.")
    var witnessKeys: [String] = []

    @Option(name: .customLong("min-witnesses"), help: "Fail unless this many of the witnesses cosigned every event.")
    var minWitnesses: Int?

    @Option(
        name: .long, help: "An older bundle or checkpoint file this evidence must extend. Repeatable.",
        completion: .file())
    var previous: [String] = []

    func run() async throws {
        let console = Console(format: client.output)
        let trust: BundleTrust
        let path = URL(fileURLWithPath: evidence)
        var isDirectory: ObjCBool = false
        do throws(LocalError) {
            var trusted = BundleTrust(minWitnesses: minWitnesses)
            if let pubkey { trusted.pinnedKey = try EvidenceInputs.auditKey(pubkey) }
            for key in witnessKeys { trusted.witnessKeys.append(try EvidenceInputs.witnessKey(key)) }
            for path in previous { trusted.previous += try EvidenceInputs.checkpoints(path) }
            trust = trusted
            guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) else {
                throw LocalError(.localFile, "\(evidence) does not exist")
            }
        } catch {
            throw console.failure(error)
        }
        if !isDirectory.boolValue {
            try verifyProof(path, trust: trust, console: console)
            return
        }
        let report: BundleVerificationReport
        do throws(LocalError) {
            let read: EvidenceBundle
            do {
                read = try EvidenceBundleReader.read(from: path)
            } catch {
                throw LocalError(.localFile, "cannot read the bundle \(evidence): \(ErrorDescription.of(error))")
            }
            report = BundleVerifier.verify(read, trust: trust)
        } catch {
            throw console.failure(error)
        }
        if console.isJSON {
            console.json(report)
        } else {
            report.summaryLines.forEach(console.line)
        }
        if !report.ok { throw ExitCode(ExitStatus.error.rawValue) }
    }

    private func verifyProof(_ path: URL, trust: BundleTrust, console: Console) throws {
        do throws(LocalError) {
            guard let key = trust.pinnedKey else {
                throw LocalError(.invalidInput, "an inclusion proof is checked against the broker's key: pass --pubkey")
            }
            guard let bytes = FileManager.default.contents(atPath: path.path) else {
                throw LocalError(.localFile, "cannot read \(evidence)")
            }
            let cosigners: [WitnessCosignature]
            let proof: InclusionProof
            do {
                proof = try InclusionProof(json: Array(bytes))
                cosigners = try proof.verify(logKey: key, witnessKeys: trust.witnessKeys)
            } catch {
                throw LocalError(.verificationFailed, "proof NOT verified: \(error.reason)")
            }
            if let required = trust.minWitnesses, cosigners.count < required {
                throw LocalError(
                    .verificationFailed,
                    "proof NOT verified: \(cosigners.count) witnesses cosigned its checkpoint, "
                        + "\(required) required (unanchored)")
            }
            let status =
                cosigners.isEmpty ? "unanchored" : "witnessed by " + cosigners.map(\.name).joined(separator: ", ")
            console.line(
                "proof verified: seq \(proof.event.seq) (\(proof.event.action)) is in the log at tree size "
                    + "\(proof.treeSize); \(status)")
        } catch {
            throw console.failure(error)
        }
    }
}
