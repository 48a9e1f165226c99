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

    func run() throws {
        let config = try loadBrokerConfig(options.config)
        let paths = BrokerCertificates.Paths(dataDir: config.dataDir)
        do {
            print("SHA256 \(try BrokerCertificates.caFingerprint(dataDir: config.dataDir))")
            print("CA file: \(paths.caCertificate.path) (pass it to clients as --ca or HOOP_CA)")
        } catch {
            throw Console.failure(
                .error, "no broker CA at \(paths.caCertificate.path) yet; start the broker once to create it")
        }
    }
}
