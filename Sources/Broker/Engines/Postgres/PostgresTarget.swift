package import Foundation
import HoopCore

/// How the broker logs in to a PostgreSQL target. The password is a reference (environment variable or file), read
/// when a connection is made so it can rotate without a restart; it is never sent to clients, logged or recorded.
package struct PostgresTarget: ResourceTarget {
    package var database: String
    package var username: String
    package var password: SecretReference
    package var tls: TargetTLSMode
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

extension ResourceConfig {
    /// The target login of a `postgres` resource.
    var postgres: PostgresTarget? { target(as: PostgresTarget.self) }

    /// Whether the resource's sessions get a direct-mode login (`allow_direct: true` on a `postgres` resource).
    package var allowsDirect: Bool { postgres?.allowDirect ?? false }
}
