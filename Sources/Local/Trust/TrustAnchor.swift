import NIOSSL

/// The single root of trust for one broker: a CA file the user named, or the certificate pinned on first contact.
/// API calls and tunnels both verify the broker against it (chain and host name), so a broker presenting another
/// certificate fails the TLS handshake.
package struct TrustAnchor: Sendable {
    enum Source: Sendable {
        case certificateAuthority(file: String)
        case pinned(KnownBroker)
        /// The broker reaching its own API on loopback: it trusts the chain it serves and checks no host name
        /// (its certificate names the host clients use, which loopback need not be).
        case servedChain(pem: String)
    }

    let source: Source
    private let roots: [NIOSSLCertificate]

    /// Trusts the CA certificates in the PEM file at `path` (`--ca` / `HOOP_CA`).
    package static func certificateAuthority(file path: String) throws(LocalError) -> TrustAnchor {
        let roots: [NIOSSLCertificate]
        do {
            roots = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw LocalError(
                .localFile,
                "cannot load the CA certificate file \(path): \(error)",
                hint: "pass a PEM file with --ca or HOOP_CA"
            )
        }
        guard !roots.isEmpty else {
            throw LocalError(
                .localFile,
                "the CA certificate file \(path) holds no PEM certificate",
                hint: "pass a PEM file with --ca or HOOP_CA"
            )
        }
        return TrustAnchor(source: .certificateAuthority(file: path), roots: roots)
    }

    /// Trusts only the certificate pinned for a broker.
    package static func pinned(_ broker: KnownBroker) throws(LocalError) -> TrustAnchor {
        let root: NIOSSLCertificate
        do {
            root = try NIOSSLCertificate(bytes: Array(broker.certificatePEM.utf8), format: .pem)
        } catch {
            throw LocalError(
                .localFile,
                "the pinned broker certificate (SHA256 \(broker.sha256)) cannot be loaded: \(error)",
                hint: "run `hoopctl trust reset` to pin the broker again"
            )
        }
        return TrustAnchor(source: .pinned(broker), roots: [root])
    }

    /// Trusts the certificate chain in `pem` (a broker's own served chain), without a host name check.
    package static func servedChain(pem: String) throws(LocalError) -> TrustAnchor {
        let roots = (try? NIOSSLCertificate.fromPEMBytes(Array(pem.utf8))) ?? []
        guard !roots.isEmpty else {
            throw LocalError(.localFile, "the broker's served certificate chain holds no PEM certificate")
        }
        return TrustAnchor(source: .servedChain(pem: pem), roots: roots)
    }

    /// When the anchor is a first-contact pin, what was pinned and when; nil for a CA file.
    package var pinnedBroker: KnownBroker? {
        guard case .pinned(let broker) = self.source else { return nil }
        return broker
    }

    /// What another TLS client (libpq's `sslrootcert`) needs to verify the broker as this anchor does.
    package enum RootCertificate: Sendable, Equatable {
        /// The CA file the user named.
        case file(String)
        /// The certificate pinned on first contact, as PEM, for the caller to write where the client reads it.
        case pem(String)
    }

    package var rootCertificate: RootCertificate {
        switch self.source {
        case .certificateAuthority(let file): .file(file)
        case .pinned(let broker): .pem(broker.certificatePEM)
        case .servedChain(let pem): .pem(pem)
        }
    }

    /// Ordinary verification (chain and host name) with this anchor as the only trust root.
    var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if case .servedChain = self.source {
            configuration.certificateVerification = .noHostnameVerification
        } else {
            configuration.certificateVerification = .fullVerification
        }
        configuration.trustRoots = .certificates(self.roots)
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}
