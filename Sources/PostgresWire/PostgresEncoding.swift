/// PostgreSQL's character encodings, by the names and aliases the server accepts (`pg_char_to_encoding`: letters
/// and digits only, case folded, so `Shift-JIS`, `shift_jis` and `SHIFTJIS` are one name).
///
/// Seven encodings exist only on the client side: SJIS, SHIFT_JIS_2004, BIG5, GBK, UHC, GB18030 and JOHAB. In each
/// of them the second byte of a two-byte character can be an ASCII byte — `\` (0x5C), `'`, `"`, `;` and others —
/// so a broker that reads the bytes as ASCII sees a backslash or a quote where the server sees half a character.
/// Every server encoding is ASCII-safe: no byte below 0x80 is ever part of a multibyte character.
package enum PostgresEncoding: String, Sendable, CaseIterable {
    case sqlASCII = "SQL_ASCII"
    case eucJP = "EUC_JP"
    case eucCN = "EUC_CN"
    case eucKR = "EUC_KR"
    case eucTW = "EUC_TW"
    case eucJIS2004 = "EUC_JIS_2004"
    case utf8 = "UTF8"
    case muleInternal = "MULE_INTERNAL"
    case latin1 = "LATIN1"
    case latin2 = "LATIN2"
    case latin3 = "LATIN3"
    case latin4 = "LATIN4"
    case latin5 = "LATIN5"
    case latin6 = "LATIN6"
    case latin7 = "LATIN7"
    case latin8 = "LATIN8"
    case latin9 = "LATIN9"
    case latin10 = "LATIN10"
    case win1256 = "WIN1256"
    case win1258 = "WIN1258"
    case win866 = "WIN866"
    case win874 = "WIN874"
    case koi8r = "KOI8R"
    case win1251 = "WIN1251"
    case win1252 = "WIN1252"
    case iso88595 = "ISO_8859_5"
    case iso88596 = "ISO_8859_6"
    case iso88597 = "ISO_8859_7"
    case iso88598 = "ISO_8859_8"
    case win1250 = "WIN1250"
    case win1253 = "WIN1253"
    case win1254 = "WIN1254"
    case win1255 = "WIN1255"
    case win1257 = "WIN1257"
    case koi8u = "KOI8U"
    case sjis = "SJIS"
    case big5 = "BIG5"
    case gbk = "GBK"
    case uhc = "UHC"
    case gb18030 = "GB18030"
    case johab = "JOHAB"
    case shiftJIS2004 = "SHIFT_JIS_2004"

    /// Whether a multibyte character can contain an ASCII byte, so ASCII-level reading of the text is wrong.
    package var isClientOnly: Bool {
        switch self {
        case .sjis, .big5, .gbk, .uhc, .gb18030, .johab, .shiftJIS2004: true
        default: false
        }
    }

    /// The encoding a name (or alias) selects on the server, or nil when the server knows no such encoding.
    /// Every byte but ASCII letters and digits is dropped, non-ASCII ones included: the server drops what its locale
    /// does not call alphanumeric, so dropping more can only make a hostile spelling resolve, never hide it.
    package init?(named name: String) {
        let key = name.utf8.compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"): byte
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte | 0x20
            default: nil
            }
        }
        guard let found = Self.aliases[String(decoding: key, as: UTF8.self)] else { return nil }
        self = found
    }

    /// The server's alias table (src/common/encnames.c), keyed by the cleaned name.
    private static let aliases: [String: PostgresEncoding] = {
        var table: [String: PostgresEncoding] = [
            "abc": .win1258, "alt": .win866, "iso88591": .latin1, "iso885910": .latin6, "iso885913": .latin7,
            "iso885914": .latin8, "iso885915": .latin9, "iso885916": .latin10, "iso88592": .latin2,
            "iso88593": .latin3, "iso88594": .latin4, "iso88595": .iso88595, "iso88596": .iso88596,
            "iso88597": .iso88597, "iso88598": .iso88598, "iso88599": .latin5, "koi8": .koi8r, "mskanji": .sjis,
            "shiftjis": .sjis, "tcvn": .win1258, "tcvn5712": .win1258, "unicode": .utf8, "vscii": .win1258,
            "win": .win1251, "win932": .sjis, "win936": .gbk, "win949": .uhc, "win950": .big5,
            "windows1250": .win1250, "windows1251": .win1251, "windows1252": .win1252, "windows1253": .win1253,
            "windows1254": .win1254, "windows1255": .win1255, "windows1256": .win1256, "windows1257": .win1257,
            "windows1258": .win1258, "windows866": .win866, "windows874": .win874, "windows932": .sjis,
            "windows936": .gbk, "windows949": .uhc, "windows950": .big5,
        ]
        for encoding in allCases {
            table[String(encoding.rawValue.lowercased().unicodeScalars.filter { $0 != "_" })] = encoding
        }
        return table
    }()
}
