package import Foundation
import HoopCore

/// How the broker logs in to a PostgreSQL target. The password is a reference (environment variable or file), read
/// when a connection is made so it can rotate without a restart; it is never sent to clients, logged or recorded.
package struct PostgresTarget: ResourceTarget {
    package var database: String
    package var username: String
    package var password: SecretReference
    package var tls: PostgresTLSMode
    /// Trust anchors for `verify-full`; the system's when absent.
    package var caFile: URL?
    /// Whether the broker may answer a cleartext-password request on a connection without TLS. Off by default: the
    /// held password would cross the network readable by anyone on the path.
    package var allowPlaintextPassword: Bool = false
    /// Whether sessions on this resource may also be used in direct mode: PostgreSQL clients connect to the
    /// broker's `postgres_direct` listener over TLS with a per-session user name, without `hoopctl connect`'s
    /// local hop. Off by default.
    package var allowDirect: Bool = false
}

/// libpq's `sslmode` choices that matter for a broker.
package enum PostgresTLSMode: String, Sendable, CaseIterable {
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
    static func defaultMode(for address: HostPort) -> PostgresTLSMode {
        LoopbackHost.isLoopback(address.host) ? .prefer : .verifyFull
    }
}

extension ResourceConfig {
    /// The target login of a `postgres` resource.
    var postgres: PostgresTarget? { target(as: PostgresTarget.self) }

    /// Whether the resource's sessions get a direct-mode login (`allow_direct: true` on a `postgres` resource).
    package var allowsDirect: Bool { postgres?.allowDirect ?? false }
}
