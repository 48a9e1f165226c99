import Foundation
import HoopCore

/// `postgres` resources: psql or any driver, with the session's login in a ready-to-paste URI — on the local port,
/// or in direct mode on the broker's own PostgreSQL port over verified TLS.
struct PostgresResourceClient: ResourceClient {
    var type: ResourceType { .postgres }
    var exec: ExecStyle? { .statements(SQLExec.Runner(driver: PostgresExecDriver())) }

    /// Where a pinned broker certificate is written for libpq's `sslrootcert`.
    static let rootCertificateFile = "broker-ca.pem"

    func complete(_ details: inout ConnectionDetails, granted: SessionGrantResponse) throws(LocalError) {
        guard let credentials = granted.credentials else { return }
        details.uri = Self.uri(credentials, host: details.host, port: details.port, query: "sslmode=disable")
    }

    /// The URI and libpq environment for the broker's direct port: `sslmode=verify-full` against the broker's trust
    /// anchor (the CA file in use, or the pinned certificate written to a session file).
    func completeDirect(_ details: inout ConnectionDetails, granted: SessionGrantResponse, trust: TrustAnchor)
        throws(LocalError)
    {
        guard let credentials = granted.credentials else {
            throw LocalError(.brokerError, "the broker issued no login for this session")
        }
        let rootCertificate: String
        switch trust.rootCertificate {
        case .file(let path):
            rootCertificate = URL(fileURLWithPath: path).standardizedFileURL.path
        case .pem(let pem):
            rootCertificate = try SessionFiles.path(Self.rootCertificateFile, session: details.session)
            try SessionFiles.write(pem, to: rootCertificate)
        }
        let mode = "verify-full"
        details.uri = Self.uri(
            credentials, host: details.host, port: details.port,
            query: "sslmode=\(mode)&sslrootcert=\(rootCertificate.queryEscaped)")
        var environment = [
            "PGHOST": details.host, "PGPORT": String(details.port), "PGUSER": credentials.user,
            "PGPASSWORD": credentials.password, "PGSSLMODE": mode, "PGSSLROOTCERT": rootCertificate,
        ]
        environment["PGDATABASE"] = credentials.database
        details.environment = environment
    }

    func cleanUp(session: String) {
        SessionFiles.remove(session: session)
    }

    func example(_ details: ConnectionDetails) -> String {
        guard let uri = details.uri else { return ", e.g. psql \"host=\(details.host) port=\(details.port)\"" }
        return ", e.g.\n  psql \"\(uri)\"\n(the password is for this session only)"
    }

    private static func uri(_ credentials: SessionCredentials, host: String, port: Int, query: String) -> String {
        let database = credentials.database.map { "/\($0.uriEscaped)" } ?? ""
        let authority = host.contains(":") ? "[\(host)]" : host
        return "postgresql://\(credentials.user.uriEscaped):\(credentials.password.uriEscaped)@\(authority):"
            + "\(port)\(database)?\(query)"
    }
}

extension String {
    /// Percent-encoding for the userinfo and path parts of a URI.
    fileprivate var uriEscaped: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? self
    }

    /// Percent-encoding for a query value (a file path keeps its slashes).
    fileprivate var queryEscaped: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? self
    }
}
