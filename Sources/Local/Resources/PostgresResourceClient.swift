import Foundation
import HoopCore

/// `postgres` resources: psql or any driver, with the session's login in a ready-to-paste URI.
struct PostgresResourceClient: ResourceClient {
    var type: ResourceType { .postgres }
    var exec: ExecStyle? { .statements(PostgresExec.Runner()) }

    func complete(_ details: inout ConnectionDetails, granted: SessionGrantResponse) throws(LocalError) {
        guard let credentials = granted.credentials else { return }
        let database = credentials.database.map { "/\($0.uriEscaped)" } ?? ""
        details.uri =
            "postgresql://\(credentials.user.uriEscaped):\(credentials.password.uriEscaped)@\(details.host):"
            + "\(details.port)\(database)?sslmode=disable"
    }

    func example(_ details: ConnectionDetails) -> String {
        guard let uri = details.uri else { return ", e.g. psql \"host=\(details.host) port=\(details.port)\"" }
        return ", e.g.\n  psql \"\(uri)\"\n(the password is for this session only)"
    }
}

extension String {
    /// Percent-encoding for the userinfo and path parts of a URI.
    fileprivate var uriEscaped: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? self
    }
}
