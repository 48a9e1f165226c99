import Foundation
import HoopCore

extension ConfigLoader {
    /// `store: { url, password_file | password_env, tls, ca_file, max_connections }`; absent, the embedded SQLite
    /// store. The password may not be in the URL: URLs end up in logs and process listings.
    static func storeLocation(_ node: ConfigNode?, base: URL, environment: [String: String]?) throws(ConfigError)
        -> StoreLocation
    {
        guard var node else { return .embedded }
        let text = try node.requiredString("url")
        var config = try postgresURL(text, path: "\(node.path).url")
        if let (reference, key) = try node.secretKeys("password", base: base) {
            try node.check(reference, key: key, environment: environment)
            config.password = reference
        }
        if let mode = try node.string("tls") {
            guard let tls = PostgresStoreTLS(rawValue: mode) else {
                let modes = PostgresStoreTLS.allCases.map(\.rawValue).joined(separator: ", ")
                throw ConfigError(path: "\(node.path).tls", message: "expected one of \(modes), got '\(mode)'")
            }
            config.tls = tls
        }
        if config.tls == .disable, !LoopbackHost.isLoopback(config.host) {
            throw ConfigError(
                path: "\(node.path).tls",
                message: "disable is accepted for a loopback host only; \(config.host) needs require or verify-full")
        }
        if let caFile = try node.string("ca_file") {
            guard config.tls == .verifyFull else {
                throw ConfigError(
                    path: "\(node.path).ca_file",
                    message: "is only used with tls: verify-full (tls is \(config.tls.rawValue))")
            }
            config.caFile = resolve(caFile, against: base)
        }
        if let maximum = try node.count("max_connections") {
            let range = PostgresStoreConfig.maxConnectionsRange
            guard range.contains(maximum) else {
                throw ConfigError(
                    path: "\(node.path).max_connections",
                    message: "must be from \(range.lowerBound) to \(range.upperBound), got \(maximum)")
            }
            config.maxConnections = maximum
        }
        try node.rejectUnknownKeys()
        return .postgres(config)
    }

    /// `postgres://user@host:port/database` (or `postgresql://`); the user and the database are required.
    private static func postgresURL(_ text: String, path: String) throws(ConfigError) -> PostgresStoreConfig {
        guard let url = URLComponents(string: text), let scheme = url.scheme,
            ["postgres", "postgresql"].contains(scheme.lowercased())
        else {
            throw ConfigError(path: path, message: "expected postgres://user@host:port/database, got '\(text)'")
        }
        guard url.password == nil else {
            throw ConfigError(
                path: path,
                message: "must not contain a password (it would show in logs and process listings); "
                    + "use password_file or password_env")
        }
        guard let host = url.host, !host.isEmpty else {
            throw ConfigError(path: path, message: "names no host")
        }
        guard let user = url.user, !user.isEmpty else {
            throw ConfigError(path: path, message: "names no user (postgres://user@\(host)/database)")
        }
        let database = String(url.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw ConfigError(path: path, message: "names no database (postgres://\(user)@\(host)/database)")
        }
        guard url.query == nil, url.fragment == nil else {
            throw ConfigError(path: path, message: "takes no query or fragment; set tls, ca_file and the rest as keys")
        }
        let port = url.port ?? 5432
        guard (1...65_535).contains(port) else {
            throw ConfigError(path: path, message: "port must be from 1 to 65535")
        }
        return PostgresStoreConfig(
            host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port, user: user,
            database: database)
    }
}
