package import Foundation
import HoopCore

/// How the broker logs in to a MySQL or MariaDB target. The password is a reference (environment variable or file),
/// read when a connection is made so it can rotate without a restart; it is never sent to clients, logged or
/// recorded.
package struct MySQLTarget: ResourceTarget {
    /// The default schema sessions start in; nil leaves the choice to the client (`USE`, or its own default).
    package var database: String?
    package var username: String
    package var password: SecretReference
    package var tls: TargetTLSMode
    /// Trust anchors for `verify-full`; the system's when absent.
    package var caFile: URL?
    /// Whether `LOAD DATA LOCAL INFILE` may read files on the client's machine into the target. Off by default:
    /// the broker then does not offer the capability to either side, so the server itself refuses the statement.
    package var allowLocalInfile: Bool = false
}

extension ResourceConfig {
    /// The target login of a `mysql` resource.
    var mysql: MySQLTarget? { target(as: MySQLTarget.self) }
}
