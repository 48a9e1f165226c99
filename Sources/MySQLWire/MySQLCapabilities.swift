/// The CLIENT_* capability flags both sides announce in the handshake; what a connection may use is the
/// intersection, and several of them change how later packets are laid out (PROTOCOL_41, DEPRECATE_EOF,
/// SESSION_TRACK, PLUGIN_AUTH_LENENC_CLIENT_DATA...), so parsers take the negotiated set.
package struct MySQLCapabilities: OptionSet, Hashable, Sendable {
    package let rawValue: UInt32

    package init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// The new, longer password scramble. MariaDB servers clear it (there called CLIENT_MYSQL) to say the reserved
    /// handshake bytes carry MariaDB's extended capabilities.
    package static let longPassword = Self(rawValue: 1 << 0)
    package static let foundRows = Self(rawValue: 1 << 1)
    /// Column flags are two bytes wide.
    package static let longFlag = Self(rawValue: 1 << 2)
    /// The handshake response names a default database.
    package static let connectWithDB = Self(rawValue: 1 << 3)
    package static let noSchema = Self(rawValue: 1 << 4)
    package static let compress = Self(rawValue: 1 << 5)
    package static let odbc = Self(rawValue: 1 << 6)
    /// LOAD DATA LOCAL INFILE: the server may ask the client for the contents of a file of the client's.
    package static let localFiles = Self(rawValue: 1 << 7)
    package static let ignoreSpace = Self(rawValue: 1 << 8)
    /// The 4.1 protocol: status and warnings in OK, SQLSTATE in ERR, the 4.1 column definition.
    package static let protocol41 = Self(rawValue: 1 << 9)
    package static let interactive = Self(rawValue: 1 << 10)
    /// TLS: the client sends an SSLRequest and starts TLS before the handshake response.
    package static let ssl = Self(rawValue: 1 << 11)
    package static let ignoreSigpipe = Self(rawValue: 1 << 12)
    /// OK packets carry the status flags.
    package static let transactions = Self(rawValue: 1 << 13)
    package static let reserved = Self(rawValue: 1 << 14)
    /// 4.1 authentication: the auth response is length-prefixed.
    package static let secureConnection = Self(rawValue: 1 << 15)
    package static let multiStatements = Self(rawValue: 1 << 16)
    /// Several result sets per command, chained with SERVER_MORE_RESULTS_EXISTS.
    package static let multiResults = Self(rawValue: 1 << 17)
    package static let psMultiResults = Self(rawValue: 1 << 18)
    /// Authentication plugins: the handshake names one and the server may switch to another.
    package static let pluginAuth = Self(rawValue: 1 << 19)
    package static let connectAttrs = Self(rawValue: 1 << 20)
    /// The auth response is a length-encoded string (it may be longer than 250 bytes).
    package static let pluginAuthLenencClientData = Self(rawValue: 1 << 21)
    package static let canHandleExpiredPasswords = Self(rawValue: 1 << 22)
    /// OK packets carry an info string and session state changes.
    package static let sessionTrack = Self(rawValue: 1 << 23)
    /// No EOF packets: column definitions end without one, rows end with an OK packet whose header is 0xFE.
    package static let deprecateEOF = Self(rawValue: 1 << 24)
    /// MySQL 8: result sets may come without column definitions. The broker never asks for it.
    package static let optionalResultsetMetadata = Self(rawValue: 1 << 25)
    package static let zstdCompressionAlgorithm = Self(rawValue: 1 << 26)
    /// MySQL 8: COM_QUERY and COM_STMT_EXECUTE carry query attributes, changing their layout.
    package static let queryAttributes = Self(rawValue: 1 << 27)
    package static let multiFactorAuthentication = Self(rawValue: 1 << 28)
    package static let capabilityExtension = Self(rawValue: 1 << 29)
    package static let sslVerifyServerCert = Self(rawValue: 1 << 30)
    package static let rememberOptions = Self(rawValue: 1 << 31)

    /// MariaDB's name for `longPassword`: set by MySQL, cleared by a MariaDB peer that uses extended capabilities.
    package static let clientMySQL = longPassword
}

/// MariaDB's extended capabilities, the upper 32 bits it carries in reserved handshake bytes when CLIENT_MYSQL is
/// clear. Several change the layout of result sets (CACHE_METADATA, EXTENDED_TYPE_INFO), so the broker asks for
/// none of them and only keeps what the peer said.
package struct MySQLMariaDBCapabilities: OptionSet, Hashable, Sendable {
    package let rawValue: UInt32

    package init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    package static let progress = Self(rawValue: 1 << 0)
    package static let comMulti = Self(rawValue: 1 << 1)
    package static let statementBulkOperations = Self(rawValue: 1 << 2)
    package static let extendedTypeInfo = Self(rawValue: 1 << 3)
    package static let cacheMetadata = Self(rawValue: 1 << 4)
    package static let bulkUnitResults = Self(rawValue: 1 << 5)
}
