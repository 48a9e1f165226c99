import Crypto
package import Foundation

/// A broker certificate pinned on first contact. The certificate itself is kept (not only its digest) because it
/// becomes the sole trust root for every later connection to that broker.
package struct KnownBroker: Codable, Sendable, Equatable {
    /// The pinned certificate: the root of the chain the broker presented.
    package var certificatePEM: String
    /// SHA-256 of the certificate's DER, as colon-separated upper-case hex (what `openssl x509 -fingerprint -sha256`
    /// prints), so an operator can compare it on the broker host.
    package var sha256: String
    package var pinnedAt: Date

    /// Pins a certificate given in DER form.
    package init(certificateDER: [UInt8], pinnedAt: Date) {
        self.certificatePEM = Self.pem(der: certificateDER)
        self.sha256 = Self.fingerprint(der: certificateDER)
        self.pinnedAt = pinnedAt
    }

    /// Colon-separated upper-case hex of the SHA-256 of `der`.
    private static func fingerprint(der: [UInt8]) -> String {
        SHA256.hash(data: der).map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return byte < 0x10 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    private static func pem(der: [UInt8]) -> String {
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN CERTIFICATE-----\n\(base64)\n-----END CERTIFICATE-----\n"
    }

    enum CodingKeys: String, CodingKey {
        case sha256
        case certificatePEM = "certificate_pem"
        case pinnedAt = "pinned_at"
    }
}
