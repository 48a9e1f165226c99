import ArgumentParser
import Broker
import Foundation
import HoopCore

/// `hoopctl broker fingerprint`: the CA fingerprint clients show when they pin the broker on first use, so an
/// operator can confirm it out of band.
struct BrokerFingerprintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fingerprint",
        abstract: "Print the SHA-256 fingerprint and path of the broker's TLS CA certificate."
    )

    @OptionGroup var options: BrokerConfigOption
    @OptionGroup var output: PlainOutputOption

    /// The `--output json` document.
    struct Fingerprint: Encodable {
        let sha256: String
        let caFile: String

        enum CodingKeys: String, CodingKey {
            case sha256
            case caFile = "ca_file"
        }
    }

    func run() throws {
        let config = try loadBrokerConfig(options.config)
        let paths = BrokerCertificates.Paths(dataDir: config.dataDir)
        do {
            let fingerprint = try BrokerCertificates.caFingerprint(dataDir: config.dataDir)
            let console = output.console
            guard !console.isJSON else {
                console.json(Fingerprint(sha256: fingerprint, caFile: paths.caCertificate.path))
                return
            }
            console.line("SHA256 \(fingerprint)")
            console.line("CA file: \(paths.caCertificate.path) (pass it to clients as --ca or HOOP_CA)")
        } catch {
            throw Console.failure(
                .error, "no broker CA at \(paths.caCertificate.path) yet; start the broker once to create it")
        }
    }
}
