/// What the broker knows of its logged-in connection to a target: what the engine needs to speak to it and to tell
/// the client about it.
package struct MySQLTargetSession: Sendable, Equatable {
    package var connectionID: UInt32
    package var serverVersion: String
    /// The capabilities in force: what the broker asked for that the server offered.
    package var capabilities: MySQLCapabilities
    /// The status flags of the OK that ended the login.
    package var statusFlags: MySQLServerStatus
    /// The character set (collation id) the broker asked for, which the session uses.
    package var characterSet: UInt8
    package var isMariaDB: Bool
    /// The plugin the login ended with.
    package var authPlugin: MySQLAuthPlugin
    /// Whether the connection runs inside TLS.
    package var usesTLS: Bool

    package init(
        connectionID: UInt32,
        serverVersion: String,
        capabilities: MySQLCapabilities,
        statusFlags: MySQLServerStatus,
        characterSet: UInt8,
        isMariaDB: Bool,
        authPlugin: MySQLAuthPlugin,
        usesTLS: Bool
    ) {
        self.connectionID = connectionID
        self.serverVersion = serverVersion
        self.capabilities = capabilities
        self.statusFlags = statusFlags
        self.characterSet = characterSet
        self.isMariaDB = isMariaDB
        self.authPlugin = authPlugin
        self.usesTLS = usesTLS
    }
}
