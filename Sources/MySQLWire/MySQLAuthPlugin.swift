/// The authentication plugins the broker can answer as a client, by the names servers use.
package enum MySQLAuthPlugin: String, Sendable, CaseIterable {
    case nativePassword = "mysql_native_password"
    case cachingSHA2Password = "caching_sha2_password"
    /// MySQL's older RSA/TLS plugin; same full-authentication exchange as caching_sha2_password, without a cache.
    case sha256Password = "sha256_password"
    case clientEd25519 = "client_ed25519"
    /// Sends the password itself: acceptable only inside TLS.
    case clearPassword = "mysql_clear_password"

    /// Whether the plugin puts the password itself on the wire, so it may only run inside TLS.
    var sendsCleartext: Bool {
        self == .clearPassword
    }
}
