/// A `schema.name` or `name` glob (`*` any run, `?` one character), compared case-sensitively against the names
/// the classifier folded the way the server does.
package struct NamePattern: Sendable, Equatable, CustomStringConvertible {
    package var schema: String?
    package var name: String

    package init(_ text: String) {
        if let dot = text.lastIndex(of: ".") {
            schema = String(text[..<dot])
            name = String(text[text.index(after: dot)...])
        } else {
            schema = nil
            name = text
        }
    }

    package var description: String { schema.map { "\($0).\(name)" } ?? name }

    /// A pattern without a schema matches the name in any schema; an object named without a schema matches a
    /// pattern in any schema (the server may resolve it in any schema of the search path).
    func matches(schema objectSchema: String?, name objectName: String) -> Bool {
        guard Self.glob(name, objectName) else { return false }
        guard let schema, let objectSchema else { return true }
        return Self.glob(schema, objectSchema)
    }

    static func glob(_ pattern: String, _ text: String) -> Bool {
        glob(Array(pattern.unicodeScalars), 0, Array(text.unicodeScalars), 0)
    }

    private static func glob(_ pattern: [Unicode.Scalar], _ p: Int, _ text: [Unicode.Scalar], _ t: Int) -> Bool {
        var p = p
        var t = t
        var star: (p: Int, t: Int)?
        while t < text.count {
            if p < pattern.count && (pattern[p] == "?" || pattern[p] == text[t]) {
                p += 1
                t += 1
            } else if p < pattern.count && pattern[p] == "*" {
                star = (p, t)
                p += 1
            } else if let last = star {
                p = last.p + 1
                t = last.t + 1
                star = (last.p, last.t + 1)
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
