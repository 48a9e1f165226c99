/// The MYSQL_TYPE_* byte of a column definition or a bound parameter.
///
/// It decides how a value is laid out in a binary row and whether the broker's masking can rewrite it as text. A
/// byte this build does not know is kept as `unknown` so a newer server's type passes through unchanged.
package enum MySQLColumnType: Hashable, Sendable {
    case decimal
    case tiny
    case short
    case long
    case float
    case double
    case null
    case timestamp
    case longLong
    case int24
    case date
    case time
    case datetime
    case year
    case newDate
    case varchar
    case bit
    case timestamp2
    case datetime2
    case time2
    case typedArray
    case vector
    case invalid
    case bool
    case json
    case newDecimal
    case enumeration
    case set
    case tinyBlob
    case mediumBlob
    case longBlob
    case blob
    case varString
    case string
    case geometry
    case unknown(UInt8)

    private static let known: [(MySQLColumnType, UInt8)] = [
        (.decimal, 0x00), (.tiny, 0x01), (.short, 0x02), (.long, 0x03), (.float, 0x04), (.double, 0x05),
        (.null, 0x06), (.timestamp, 0x07), (.longLong, 0x08), (.int24, 0x09), (.date, 0x0A), (.time, 0x0B),
        (.datetime, 0x0C), (.year, 0x0D), (.newDate, 0x0E), (.varchar, 0x0F), (.bit, 0x10), (.timestamp2, 0x11),
        (.datetime2, 0x12), (.time2, 0x13), (.typedArray, 0x14), (.vector, 0xF2), (.invalid, 0xF3), (.bool, 0xF4),
        (.json, 0xF5), (.newDecimal, 0xF6), (.enumeration, 0xF7), (.set, 0xF8), (.tinyBlob, 0xF9),
        (.mediumBlob, 0xFA), (.longBlob, 0xFB), (.blob, 0xFC), (.varString, 0xFD), (.string, 0xFE),
        (.geometry, 0xFF),
    ]

    private static let byCode: [UInt8: MySQLColumnType] = Dictionary(
        uniqueKeysWithValues: known.map { ($0.1, $0.0) }
    )

    package init(_ code: UInt8) {
        self = Self.byCode[code] ?? .unknown(code)
    }

    private static let codes: [MySQLColumnType: UInt8] = Dictionary(uniqueKeysWithValues: known)

    package var rawValue: UInt8 {
        if case .unknown(let code) = self { return code }
        return Self.codes[self]!
    }

    /// Whether values of this type travel as character data the broker can read and replace as text: strings, the
    /// blob family (TEXT columns are blobs with a character set), JSON, ENUM, SET, and DECIMAL (digits as text in
    /// both protocols). Numbers, dates and bits have binary layouts in binary rows; a masked value of those types
    /// would have to keep the layout, so they are not textual.
    package var isTextual: Bool {
        switch self {
        case .varchar, .varString, .string, .tinyBlob, .mediumBlob, .longBlob, .blob, .json, .enumeration, .set,
            .decimal, .newDecimal:
            true
        default:
            false
        }
    }
}
