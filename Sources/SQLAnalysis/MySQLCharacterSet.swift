/// The MySQL client character sets the broker lexes exactly as the server does.
///
/// In each of these every byte below 0x80 is a character of its own, so `\`, quotes and semicolons are where the
/// broker sees them. In the others the broker refuses to follow a session (gbk, big5, sjis, cp932 and gb18030 put
/// `\` (0x5C) inside a multibyte character; ucs2, utf16 and utf32 are not ASCII at all), so they have no case
/// here: a name that does not parse is one the broker cannot read.
package enum MySQLCharacterSet: String, Sendable, CaseIterable {
    case ascii
    case latin1
    case utf8mb3
    case utf8mb4
    case binary

    /// The set a name spells (case-insensitively, `utf8` being `utf8mb3`), or nil for any set the broker cannot
    /// read.
    package init?(named name: String) {
        let folded = name.lowercased()
        if folded == "utf8" {
            self = .utf8mb3
            return
        }
        self.init(rawValue: folded)
    }

    /// The set of a collation id from the handshake, or nil when the id is not one of the sets above.
    package init?(collationID id: UInt8) {
        switch id {
        case 11, 65: self = .ascii
        case 5, 8, 15, 31, 47, 48, 49, 94: self = .latin1
        case 33, 76, 83, 192...215, 223: self = .utf8mb3
        case 45, 46, 224...247, 255: self = .utf8mb4
        case 63: self = .binary
        default: return nil
        }
    }

    /// Whether non-ASCII names in the text decode, as UTF-8, to the names the server sees.
    package var readsNamesAsUTF8: Bool {
        self == .utf8mb3 || self == .utf8mb4
    }
}
