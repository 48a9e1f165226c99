/// How a value is represented on the wire, as the Int16 format codes of Bind, RowDescription, FunctionCall and the
/// COPY responses say. The server accepts no other codes, so neither does the codec: masking has to know whether
/// it is looking at text or at a type's binary form.
package enum PostgresFormat: Int16, Sendable, Hashable {
    case text = 0
    case binary = 1
}

extension PostgresFormat {
    /// The format of value `index` under the rule Bind and FunctionCall share: no codes means all text, one code
    /// applies to every value, otherwise there is one code per value.
    package static func of(valueAt index: Int, formats: [PostgresFormat]) -> PostgresFormat {
        switch formats.count {
        case 0: .text
        case 1: formats[0]
        default: formats[index]
        }
    }

    /// Whether `formats` can describe `valueCount` values under that rule.
    package static func formats(_ formats: [PostgresFormat], fit valueCount: Int) -> Bool {
        formats.count <= 1 || formats.count == valueCount
    }
}
