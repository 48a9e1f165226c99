import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

extension LocalError {
    /// Explains a failure to reach the broker or to complete TLS with it. Network failures become
    /// `brokerUnreachable` (exit 5) so scripts can retry; a certificate that fails verification is explained against
    /// the anchor that was expected to vouch for it (nil while probing a broker not trusted yet).
    static func transport(_ error: any Error, endpoint: BrokerEndpoint, trust: TrustAnchor?) -> LocalError {
        if let error = error as? LocalError {
            return error
        }
        if let error = error as? NIOSSLError, case .handshakeFailed = error {
            return self.handshakeFailed(error, endpoint: endpoint, trust: trust)
        }
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return LocalError(
                .brokerUntrusted,
                "the certificate of the broker at \(endpoint.authority) is not valid for the name \(endpoint.host) "
                    + "(\(error))",
                hint: "use the broker address its certificate was issued for"
            )
        }
        if self.isUnreachable(error) {
            return .unreachable(endpoint, reason: Self.reason(error))
        }
        return LocalError(
            .brokerError,
            "talking to the broker at \(endpoint.authority) failed: \(Self.reason(error))",
            hint: "check that \(endpoint.url) is the broker's address"
        )
    }

    static func unreachable(_ endpoint: BrokerEndpoint, reason: String) -> LocalError {
        LocalError(
            .brokerUnreachable,
            "cannot reach the broker at \(endpoint.authority): \(reason)",
            hint: "check that the broker is running and that --broker / HOOP_BROKER points at it"
        )
    }

    private static func handshakeFailed(
        _ error: NIOSSLError,
        endpoint: BrokerEndpoint,
        trust: TrustAnchor?
    ) -> LocalError {
        guard let trust, String(describing: error).contains("CERTIFICATE_VERIFY_FAILED") else {
            return LocalError(
                .brokerError,
                "the TLS handshake with \(endpoint.authority) failed: \(error)",
                hint: "check that \(endpoint.url) is the broker's HTTPS port"
            )
        }
        switch trust.source {
        case .pinned(let known):
            let day = known.pinnedAt.formatted(Date.ISO8601FormatStyle().year().month().day())
            return LocalError(
                .brokerCertificateChanged,
                "the broker at \(endpoint.authority) presented a certificate that does not match the one pinned on "
                    + "\(day) (SHA256 \(known.sha256))",
                hint: "if the broker was re-initialised, run `hoopctl trust reset \(endpoint.url)` "
                    + "or pass --ca with the broker's CA certificate"
            )
        case .certificateAuthority(let file):
            return LocalError(
                .brokerUntrusted,
                "the certificate of the broker at \(endpoint.authority) is not signed by the CA in \(file)",
                hint: "pass the broker's CA certificate with --ca or HOOP_CA"
            )
        case .servedChain:
            return LocalError(
                .brokerUntrusted,
                "the broker at \(endpoint.authority) presented a chain that does not verify against itself",
                hint: "the broker's TLS chain must end in its root CA certificate (tls.certificate_chain)"
            )
        }
    }

    private static func isUnreachable(_ error: any Error) -> Bool {
        switch error {
        case is NIOConnectionError, is SocketAddressError:
            return true
        case let error as IOError:
            return [ECONNREFUSED, ECONNRESET, ENETUNREACH, EHOSTUNREACH, ETIMEDOUT, EPIPE].contains(error.errnoCode)
        case let error as ChannelError:
            if case .connectTimeout = error { return true }
            return error == .eof || error == .ioOnClosedChannel
        case let error as HTTPClientError:
            return [
                .connectTimeout, .deadlineExceeded, .readTimeout, .remoteConnectionClosed, .tlsHandshakeTimeout,
                .writeTimeout,
            ].contains(error)
        default:
            return false
        }
    }

    /// A short human reason; NIO's descriptions of connection failures are long and repetitive.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let failure = error.connectionErrors.last {
                return Self.reason(failure.error)
            }
            if let dns = error.dnsAError ?? error.dnsAAAAError {
                return "cannot resolve \(error.host): \(dns)"
            }
            return "cannot connect to \(error.host):\(error.port)"
        case let error as IOError where error.errnoCode == ECONNREFUSED:
            return "connection refused"
        case let error as HTTPClientError where error == .connectTimeout:
            return "connection timed out"
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout:
            return "the broker did not answer in time"
        default:
            return ErrorDescription.of(error)
        }
    }
}
