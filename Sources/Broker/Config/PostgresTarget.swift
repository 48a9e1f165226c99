public import Foundation

/// How the broker logs in to a PostgreSQL target. The password is a reference (environment variable or file), read
/// when a connection is made so it can rotate without a restart; it is never sent to clients, logged or recorded.
public struct PostgresTarget: Sendable {
    public var database: String
    public var username: String
    public var password: SecretReference
    public var tls: PostgresTLSMode
    /// Trust anchors for `verify-full`; the system's when absent.
    public var caFile: URL?
}

/// libpq's `sslmode` choices that matter for a broker.
public enum PostgresTLSMode: String, Sendable, CaseIterable {
    /// Never TLS.
    case disable
    /// TLS when the server offers it, without verifying the certificate.
    case prefer
    /// TLS or nothing, without verifying the certificate.
    case require
    /// TLS with the certificate verified against `ca_file` and the host name checked.
    case verifyFull = "verify-full"
}

/// A secret the config points at instead of containing.
public enum SecretReference: Sendable, Equatable {
    case environment(String)
    case file(URL)

    /// Reads the secret now. Trailing newlines in files are dropped, as `echo secret > file` leaves one.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(SecretError)
        -> String
    {
        switch self {
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw SecretError(reference: "environment variable \(name)", problem: "is not set")
            }
            return value
        case .file(let url):
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw SecretError(reference: "file \(url.path)", problem: "cannot be read")
            }
            let value = text.trimmingCharacters(in: .newlines)
            guard !value.isEmpty else { throw SecretError(reference: "file \(url.path)", problem: "is empty") }
            return value
        }
    }
}

/// A held credential that cannot be read. The message names where it should be, never what it is.
public struct SecretError: Error, Sendable, CustomStringConvertible {
    public var reference: String
    public var problem: String
    public var description: String { "\(reference) \(problem)" }
}
