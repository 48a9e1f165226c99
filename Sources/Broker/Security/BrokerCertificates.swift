import Crypto
package import Foundation
package import NIOSSL
import SwiftASN1
import X509

/// The broker's TLS identity when the operator supplies none: a private CA created once (its certificate is what
/// clients pin or pass as `--ca`) and a server certificate it signs, renewed automatically before it expires so pins
/// survive renewal.
package enum BrokerCertificates {
    package struct Paths: Sendable {
        package var caCertificate: URL
        var caKey: URL
        var serverCertificate: URL
        var serverKey: URL

        package init(dataDir: URL) {
            let directory = dataDir.appendingPathComponent("tls")
            caCertificate = directory.appendingPathComponent("ca.pem")
            caKey = directory.appendingPathComponent("ca-key.pem")
            serverCertificate = directory.appendingPathComponent("server.pem")
            serverKey = directory.appendingPathComponent("server-key.pem")
        }
    }

    /// Ensures a CA and a current server certificate for `hosts` exist; returns the server's TLS configuration.
    package static func serverConfiguration(dataDir: URL, hosts: [String], now: Date = Date()) throws
        -> TLSConfiguration
    {
        let paths = Paths(dataDir: dataDir)
        let (caCertificate, caKey) = try loadOrCreateAuthority(paths, now: now)
        if try needsServerCertificate(paths, hosts: hosts, now: now) {
            try issueServerCertificate(paths, hosts: hosts, caCertificate: caCertificate, caKey: caKey, now: now)
        }
        let chain =
            try NIOSSLCertificate.fromPEMFile(paths.serverCertificate.path)
            + NIOSSLCertificate.fromPEMFile(paths.caCertificate.path)
        let key = try NIOSSLPrivateKey(file: paths.serverKey.path, format: .pem)
        return TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
    }

    /// The chain `serverConfiguration` serves, as PEM, leaf first.
    static func servedChainPEM(dataDir: URL) throws -> String {
        let paths = Paths(dataDir: dataDir)
        return try [paths.serverCertificate, paths.caCertificate]
            .map { try String(contentsOf: $0, encoding: .utf8) }
            .joined(separator: "\n")
    }

    /// SHA-256 of the CA certificate's DER, as colon-separated uppercase hex: what TOFU clients show.
    package static func caFingerprint(dataDir: URL) throws -> String {
        let pem = try String(contentsOf: Paths(dataDir: dataDir).caCertificate, encoding: .utf8)
        let der = try PEMDocument(pemString: pem).derBytes
        return SHA256.hash(data: der).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    private static func loadOrCreateAuthority(_ paths: Paths, now: Date) throws -> (
        Certificate, P256.Signing.PrivateKey
    ) {
        if FileManager.default.fileExists(atPath: paths.caCertificate.path) {
            let certificate = try Certificate(pemEncoded: String(contentsOf: paths.caCertificate, encoding: .utf8))
            let key = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: paths.caKey, encoding: .utf8))
            return (certificate, key)
        }
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("hoopctl")
            CommonName("hoopctl broker CA \(UUID().uuidString.prefix(8))")
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3_600),
            notValidAfter: now.addingTimeInterval(10 * 365 * 86_400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: .init(key.publicKey))
            },
            issuerPrivateKey: .init(key)
        )
        try SecureFile.write(Data(key.pemRepresentation.utf8), to: paths.caKey)
        try SecureFile.write(Data(try certificate.serializeAsPEM().pemString.utf8), to: paths.caCertificate)
        return (certificate, key)
    }

    private static func needsServerCertificate(_ paths: Paths, hosts: [String], now: Date) throws -> Bool {
        guard FileManager.default.fileExists(atPath: paths.serverCertificate.path) else { return true }
        let certificate = try Certificate(pemEncoded: String(contentsOf: paths.serverCertificate, encoding: .utf8))
        if certificate.notValidAfter < now.addingTimeInterval(30 * 86_400) { return true }
        guard let names = try certificate.extensions.subjectAlternativeNames else { return true }
        return !hosts.allSatisfy { host in names.contains(alternativeName(for: host)) }
    }

    private static func issueServerCertificate(
        _ paths: Paths,
        hosts: [String],
        caCertificate: Certificate,
        caKey: P256.Signing.PrivateKey,
        now: Date
    ) throws {
        let key = P256.Signing.PrivateKey()
        let names = SubjectAlternativeNames(hosts.map(alternativeName))
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3_600),
            notValidAfter: now.addingTimeInterval(397 * 86_400),
            issuer: caCertificate.subject,
            subject: try DistinguishedName {
                OrganizationName("hoopctl")
                CommonName(hosts.first ?? "hoopctl broker")
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                names
            },
            issuerPrivateKey: .init(caKey)
        )
        try SecureFile.write(Data(key.pemRepresentation.utf8), to: paths.serverKey)
        try SecureFile.write(Data(try certificate.serializeAsPEM().pemString.utf8), to: paths.serverCertificate)
    }

    private static func alternativeName(for host: String) -> GeneralName {
        if let address = IPAddressBytes(host) { return .ipAddress(ASN1OctetString(contentBytes: address.bytes[...])) }
        return .dnsName(host)
    }
}

/// The network-order bytes of a textual IPv4 or IPv6 address, for IP subject alternative names.
struct IPAddressBytes {
    var bytes: [UInt8]

    init?(_ text: String) {
        let bare = text.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, bare, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, bare, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            return nil
        }
    }
}
