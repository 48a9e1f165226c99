/// What the broker knows about a built-in type's binary form, which decides whether a binary cell can be masked
/// in place, must be decoded first, or cannot be rewritten at all. OIDs are PostgreSQL's fixed ones
/// (`pg_type.dat`); anything else (enums, domains, composites, extension types) has a per-database OID the broker
/// does not look up, so its binary form is unknown and a masked resource refuses it.
enum PostgresTypeFamily: Equatable {
    /// The binary form is the text itself: text, varchar, bpchar, name, json, xml, unknown, bytea.
    case textual
    /// jsonb: a version byte (1), then the JSON text.
    case jsonb
    /// A fixed-width integer, printed in decimal; the detectors read that decimal form. `oid` is unsigned.
    case integer(bytes: Int, signed: Bool)
    /// float4 / float8.
    case float(bytes: Int)
    /// numeric: base-10000 digits; the detectors read its decimal form.
    case numeric
    /// Values that cannot carry a detector's shape in any form the client reads (bool, "char", uuid, dates and
    /// times): no detector runs, but a rule still needs the whole value replaced, which their binary form cannot
    /// hold.
    case opaqueScalar
    /// A one-dimensional or multi-dimensional array; the element type is in the value itself.
    case array
    /// An anonymous record (`row(...)`, `record`); each field carries its own type OID.
    case record
    /// Anything else.
    case unknown

    init(oid: UInt32) {
        switch oid {
        case 25, 1043, 1042, 19, 114, 142, 705, 17: self = .textual
        case 3802: self = .jsonb
        case 21: self = .integer(bytes: 2, signed: true)
        case 23: self = .integer(bytes: 4, signed: true)
        case 26: self = .integer(bytes: 4, signed: false)
        case 20: self = .integer(bytes: 8, signed: true)
        case 700: self = .float(bytes: 4)
        case 701: self = .float(bytes: 8)
        case 1700: self = .numeric
        case 16, 18, 2950, 1082, 1083, 1114, 1184, 1186, 1266: self = .opaqueScalar
        case 2249: self = .record
        case 1009, 1015, 1014, 1003, 199, 143, 1001, 3807, 1000, 1002, 1005, 1007, 1016, 1028, 1021, 1022, 2951,
            1182, 1183, 1115, 1185, 1187, 1270:
            self = .array
        default: self = .unknown
        }
    }

    /// json and jsonb: a whole-value replacement is written as a JSON string so the value still parses.
    static func isJSON(_ oid: UInt32) -> Bool { oid == 114 || oid == 3802 }
}
