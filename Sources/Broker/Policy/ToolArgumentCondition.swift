import Foundation
import MCP

/// One `arguments:` condition of an MCP guardrail: the value at a dotted path in the call's arguments matches a
/// glob. Values are compared as an upstream that normalizes them could read them (a database collation that is
/// case-, accent- and width-insensitive and ignores invisible characters, a validator that reads "1" or 1.0 as the
/// integer 1): see ``readings(_:)``. Every rule action restricts, so reading too many spellings as a match errs on
/// the side of asking. An array matches when any element does. A missing field does not match.
package struct ToolArgumentCondition: Sendable, Equatable {
    /// `project` or `filter.owner`.
    package var path: [String]
    package var pattern: String

    /// `dotted: false` takes `path` as one field name (a query parameter may contain dots).
    package init(path: String, pattern: String, dotted: Bool = true) {
        self.path = dotted ? path.split(separator: ".").map(String.init) : [path]
        self.pattern = Self.folded(pattern)
    }

    package var description: String { "\(path.joined(separator: ".")) ~ \(pattern)" }

    func holds(in arguments: [String: Value]) -> Bool {
        holds(path[...], in: .object(arguments))
    }

    /// Follows `path` from `value`, into every element of an array met on the way (`items.role` reads the role of
    /// each item), so a field a list repeats is judged in each place.
    private func holds(_ path: ArraySlice<String>, in value: Value) -> Bool {
        guard let key = path.first else { return matches(value) }
        switch value {
        case .object(let fields): return fields[key].map { holds(path.dropFirst(), in: $0) } ?? false
        case .array(let items): return items.contains { holds(path, in: $0) }
        default: return false
        }
    }

    private func matches(_ value: Value) -> Bool {
        switch value {
        case .array(let items): items.contains(where: matches)
        case .string(let text): Self.readings(text).contains { NamePattern.glob(pattern, $0) }
        case .int(let number): NamePattern.glob(pattern, String(number))
        case .double(let number): Self.readings(String(number)).contains { NamePattern.glob(pattern, $0) }
        case .bool(let flag): NamePattern.glob(pattern, String(flag))
        // A data: URL string is read as bytes (and forwarded base64): judged by the text it carries.
        case .data(_, let bytes):
            Self.readings(String(decoding: bytes, as: UTF8.self)).contains {
                NamePattern.glob(pattern, $0)
            }
        case .object, .null: false
        }
    }

    /// The texts an upstream could take `text` for: its folded form and, when that is a whole number however
    /// spelled ("01", "1.0", "1e0", " +1 "), the integer's plain digits.
    static func readings(_ text: String) -> [String] {
        let folded = folded(text)
        guard let number = Double(folded), number.isFinite, number == number.rounded(), abs(number) < 1e18 else {
            return [folded]
        }
        return [folded, String(Int64(number))]
    }

    /// Compatibility-decomposed (fullwidth "ＰＲＯＤ" is "PROD"), without combining marks ("pröd" is "prod"), format
    /// and control characters (a zero-width space, a NUL) or other default-ignorable code points, lowercased and
    /// trimmed of whitespace.
    static func folded(_ text: String) -> String {
        var kept = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCompatibilityMapping.unicodeScalars {
            let properties = scalar.properties
            switch properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format, .control: continue
            default: if properties.isDefaultIgnorableCodePoint { continue }
            }
            kept.append(scalar)
        }
        return String(kept).lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
