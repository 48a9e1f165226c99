/// The SERVER_STATUS_* flags in OK and EOF packets: the transaction state, whether more result sets follow, and the
/// cursor state of a prepared statement.
package struct MySQLServerStatus: OptionSet, Hashable, Sendable {
    package let rawValue: UInt16

    package init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    package static let inTransaction = Self(rawValue: 0x0001)
    package static let autocommit = Self(rawValue: 0x0002)
    /// Another result set (or OK) follows this one as part of the same command.
    package static let moreResultsExist = Self(rawValue: 0x0008)
    package static let noGoodIndexUsed = Self(rawValue: 0x0010)
    package static let noIndexUsed = Self(rawValue: 0x0020)
    /// COM_STMT_EXECUTE opened a cursor: no rows follow, the client fetches them with COM_STMT_FETCH.
    package static let cursorExists = Self(rawValue: 0x0040)
    /// The cursor has no rows left.
    package static let lastRowSent = Self(rawValue: 0x0080)
    package static let databaseDropped = Self(rawValue: 0x0100)
    /// Backslash is not an escape character in string literals (NO_BACKSLASH_ESCAPES): matters to anyone parsing SQL.
    package static let noBackslashEscapes = Self(rawValue: 0x0200)
    package static let metadataChanged = Self(rawValue: 0x0400)
    package static let queryWasSlow = Self(rawValue: 0x0800)
    package static let psOutParams = Self(rawValue: 0x1000)
    package static let inTransactionReadOnly = Self(rawValue: 0x2000)
    /// The OK packet carries session state changes.
    package static let sessionStateChanged = Self(rawValue: 0x4000)
}
