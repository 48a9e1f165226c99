import ArgumentParser
import Foundation
import HoopCore
import Local

/// `hoopctl audit verify DIR [--pubkey FILE]`: offline, needs no broker.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an exported bundle offline: chain, signatures, recordings.",
        discussion: """
            Checks the manifest, every checkpoint and key-rotation signature, chain continuity from the anchor, \
            every event's hash, and every recording's digest against the session close that sealed it. Names the \
            first broken link and exits 1 when anything is wrong. Pass --pubkey with the key the broker operator \
            published (`hoopctl broker pubkey`); without it the bundle's own key is trusted, which proves \
            integrity but not origin.
            """
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "The bundle directory.")
    var bundle: String

    @Option(name: .long, help: "File holding the trusted audit public key (ed25519:BASE64).")
    var pubkey: String?

    func run() async throws {
        let console = Console(format: client.output)
        let report: BundleVerificationReport
        do throws(LocalError) {
            var pinned: AuditPublicKey?
            if let pubkey {
                guard let text = try? String(contentsOfFile: pubkey, encoding: .utf8) else {
                    throw LocalError(.localFile, "cannot read the public key from \(pubkey)")
                }
                do {
                    pinned = try AuditPublicKey(text: text.trimmingCharacters(in: .whitespacesAndNewlines))
                } catch {
                    throw LocalError(.invalidInput, "\(pubkey) does not hold an audit public key: \(error)")
                }
            }
            let read: EvidenceBundle
            do {
                read = try EvidenceBundleReader.read(from: URL(fileURLWithPath: bundle))
            } catch {
                throw LocalError(.localFile, "cannot read the bundle \(bundle): \(error)")
            }
            report = BundleVerifier.verify(read, pinnedKey: pinned)
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
}
