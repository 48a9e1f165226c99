import HoopCore
import Logging
import Masking
import NIOCore
import NIOPosix

/// Terminates the MySQL protocol on both sides (MySQL and MariaDB servers): local clients log in with the
/// session's own password, the broker logs in to the target with credentials it holds, and every packet then passes
/// the shared relay stages — statements judged and recorded before they are forwarded, results masked and recorded
/// as the client saw them.
struct MySQLEngine: ProtocolEngine {
    let logger: Logger
    /// One masker per resource with a `masking:` policy, built once at start.
    let maskers: [String: ValueMasker]
    let connectionIDs = MySQLConnectionIDs()

    /// `mysql` and drivers log in as `hoop` with the session's password; the database is the resource's.
    func clientLogin(for resource: ResourceConfig) -> SessionCredentials? {
        SessionCredentials(
            user: SessionPassword.user, password: SessionPassword.generate(), database: resource.mysql?.database)
    }

    /// Nothing is dialled yet: the target is reached once the tunnel is up, and a dead target reaches the client as
    /// a MySQL error packet in place of the greeting, which every client shows.
    func prepare(
        _ tunnel: AdmittedTunnel,
        connection: Int64,
        eventLoop: any EventLoop,
        reporter: ConnectionReporter
    ) async throws(BrokerError) -> any PreparedConnection {
        MySQLConnection(tunnel: tunnel, connection: connection, engine: self, reporter: reporter)
    }
}
