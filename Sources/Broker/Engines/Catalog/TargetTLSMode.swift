import Foundation
import HoopCore
import NIOSSL

/// How the broker protects its connection to a database target: libpq's `sslmode` choices that matter for a broker,
/// used by every database engine with the same names and meaning.
package enum TargetTLSMode: String, Sendable, CaseIterable {
    /// Never TLS.
    case disable
    /// TLS when the server offers it, without verifying the certificate.
    case prefer
    /// TLS or nothing, without verifying the certificate.
    case require
    /// TLS with the certificate verified against `ca_file` and the host name checked.
    case verifyFull = "verify-full"

    /// A target on this host is reached without crossing a network, so TLS is only preferred; anything else gets a
    /// verified certificate unless the resource says otherwise.
    static func defaultMode(for address: HostPort) -> TargetTLSMode {
        LoopbackHost.isLoopback(address.host) ? .prefer : .verifyFull
    }

    /// Whether a server that offers no TLS is refused.
    var requiresTLS: Bool { self == .require || self == .verifyFull }

    /// The TLS context for this mode: the target's certificate checked against `caFile` (the system's roots when
    /// absent) in `verify-full`, not checked otherwise.
    func clientContext(caFile: URL?) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if self == .verifyFull {
            if let caFile { configuration.trustRoots = .file(caFile.path) }
        } else {
            configuration.certificateVerification = .none
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// The client handler for one connection to `host`. Names go in SNI and are checked against the certificate;
    /// for an IP address NIOSSL instead checks the certificate's IP SANs against the peer's address.
    func clientHandler(_ context: NIOSSLContext, host: String) throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(
            context: context, serverHostname: self == .verifyFull && IPAddressBytes(host) == nil ? host : nil)
    }
}

extension ConfigNode {
    /// `tls` and `ca_file` of a database resource: the mode (default by where the target is) and its trust anchors.
    mutating func targetTLS(_ context: TargetParsing) throws(ConfigError) -> (mode: TargetTLSMode, caFile: URL?) {
        let text = try string("tls") ?? TargetTLSMode.defaultMode(for: context.address).rawValue
        guard let mode = TargetTLSMode(rawValue: text) else {
            let modes = TargetTLSMode.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigError(path: "\(path).tls", message: "expected one of \(modes), got '\(text)'")
        }
        let caFile = try string("ca_file").map { ConfigLoader.resolve($0, against: context.base) }
        return (mode, caFile)
    }
}
