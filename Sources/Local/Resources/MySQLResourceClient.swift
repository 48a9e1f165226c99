import Foundation
import HoopCore

/// `mysql` resources (MySQL and MariaDB): the `mysql`/`mariadb` command line or any driver, with the session's login
/// in a ready-to-run command and a `mysql://` URI. The local hop is loopback, so the command asks for no TLS.
struct MySQLResourceClient: ResourceClient {
    var type: ResourceType { .mysql }
    var exec: ExecStyle? { .statements(SQLExec.Runner(driver: MySQLExecDriver())) }

    func complete(_ details: inout ConnectionDetails, granted: SessionGrantResponse) throws(LocalError) {
        guard let credentials = granted.credentials else { return }
        let database = credentials.database.map { "/\($0.mysqlURIEscaped)" } ?? ""
        let authority = details.host.contains(":") ? "[\(details.host)]" : details.host
        details.uri =
            "mysql://\(credentials.user.mysqlURIEscaped):\(credentials.password.mysqlURIEscaped)@\(authority):"
            + "\(details.port)\(database)"
        var command = [
            "mysql", "--host=\(details.host)", "--port=\(details.port)", "--user=\(credentials.user)",
            "--password=\(credentials.password)",
        ]
        if let name = credentials.database { command.append(name) }
        details.command = command.map(ShellWord.quotedIfNeeded).joined(separator: " ")
    }

    func example(_ details: ConnectionDetails) -> String {
        guard let command = details.command else {
            return ", e.g. mysql --host=\(details.host) --port=\(details.port)"
        }
        return ", e.g.\n  \(command)\n(the password is for this session only)"
    }
}

extension String {
    /// Percent-encoding for the userinfo and path parts of a URI.
    fileprivate var mysqlURIEscaped: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? self
    }
}
